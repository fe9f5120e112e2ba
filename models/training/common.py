"""Data access and the deterministic evaluation split shared by every training stage.

All readers return only what a stage needs (text, label, grouping key) and tag every row with
`is_eval`, computed with the contract's split rule, so no stage can accidentally train on an
evaluation row.
"""
from __future__ import annotations

import csv
import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[2]
MODELS_DIR = REPO_DIR / "models"
SCRATCH_DIR = Path(os.environ.get("SERENDIP_SCRATCH_DIR", "/tmp/serendip-train"))
MAX_LENGTH = 128

# Review bodies in the shopping CSV exceed the csv module's default 128 KiB field cap in a few rows.
csv.field_size_limit(sys.maxsize)


def data_dir() -> Path:
    return Path(os.environ.get("SERENDIP_DATA_DIR", str(REPO_DIR.parent / "shared" / "data")))


def bucket(key: str) -> int:
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest()[0:8], 16) % 100


def is_eval(dataset: str, row_key: str) -> bool:
    return bucket("split/" + dataset + "/" + row_key) < 10


def is_validation(dataset: str, row_key: str) -> bool:
    """Training-side rows a fine-tuning stage holds back to choose its epoch and settings on (5%)."""
    return 10 <= bucket("split/" + dataset + "/" + row_key) < 15


LABELS = ("negative", "neutral", "positive")
NEGATIVE, NEUTRAL, POSITIVE = 0, 1, 2


@dataclass(frozen=True)
class Review:
    dataset: str
    text: str
    label: int  # index into LABELS
    group: str  # category (Chinese shopping) or clothing item id (English); "" when none
    is_eval: bool
    # Held back from fine-tuning to choose settings on: ChnSentiCorp's dev file, else `is_validation`.
    # Pretraining and the vocabulary read these rows' text (no label) like any training row.
    is_validation: bool = False


def _clean(text: str) -> str:
    # The shopping CSV carries stray BOMs inside fields (upstream artefact, see SOURCE.md).
    return text.replace("\ufeff", "").strip()


def read_chnsenticorp() -> list[Review]:
    """train+dev are training rows, test is the evaluation set (the corpus's own split)."""
    name = "chinese_sentiment_chnsenticorp"
    rows: list[Review] = []
    for file, evaluation in (("train.tsv", False), ("dev.tsv", False), ("test.tsv", True)):
        validation = file == "dev.tsv"
        with open(data_dir() / name / file, encoding="utf-8", newline="") as fh:
            lines = fh.read().split("\n")
        for line in lines[1:]:
            line = line.rstrip("\r")
            if "\t" not in line:
                continue
            label, text = line.split("\t", 1)
            text = _clean(text)
            if text:
                rows.append(Review(name, text, POSITIVE if label == "1" else NEGATIVE, "", evaluation, validation))
    return rows


def read_online_shopping() -> list[Review]:
    name = "chinese_sentiment_online_shopping_10_cats"
    rows: list[Review] = []
    with open(data_dir() / name / "online_shopping_10_cats.csv", encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            raw = rec["review"] or ""
            text = _clean(raw)
            if text:
                # The split key is the field exactly as parsed (BOM included), as the contract says.
                rows.append(Review(name, text, POSITIVE if rec["label"] == "1" else NEGATIVE,
                                   rec["cat"], is_eval(name, raw), is_validation(name, raw)))
    return rows


def read_waimai() -> list[Review]:
    name = "chinese_sentiment_waimai_10k"
    rows: list[Review] = []
    with open(data_dir() / name / "waimai_10k.csv", encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            raw = rec["review"] or ""
            text = _clean(raw)
            if text:
                rows.append(Review(name, text, POSITIVE if rec["label"] == "1" else NEGATIVE, "",
                                   is_eval(name, raw), is_validation(name, raw)))
    return rows


def rating_label(rating: int) -> int:
    return NEGATIVE if rating <= 2 else NEUTRAL if rating == 3 else POSITIVE


def read_womens_clothing() -> list[Review]:
    """Title and body joined: many bodies are short and the title carries the verdict."""
    name = "english_reviews_womens_clothing"
    rows: list[Review] = []
    with open(data_dir() / name / "womens_clothing_ecommerce_reviews.csv", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        col = {h: i for i, h in enumerate(header)}
        for rec in reader:
            row_id = rec[0]
            title = " ".join(rec[col["Title"]].split())
            body = " ".join(rec[col["Review Text"]].split())
            text = (title + ". " + body) if title and body else (title or body)
            if text:
                rows.append(Review(name, text, rating_label(int(rec[col["Rating"]])), rec[col["Clothing ID"]],
                                   is_eval(name, row_id), is_validation(name, row_id)))
    return rows


def read_all_reviews() -> list[Review]:
    """All review rows; training rows whose text is also an evaluation text are dropped.

    ChnSentiCorp's upstream split leaks (hundreds of test texts also occur in train/dev) and the
    shopping set shares hotel reviews with it, so "training never sees eval rows" has to be
    enforced on the text itself, across data sets, not only on the per-set split flag.
    """
    rows = read_chnsenticorp() + read_online_shopping() + read_waimai() + read_womens_clothing()
    eval_texts = {r.text for r in rows if r.is_eval}
    return [r for r in rows if r.is_eval or r.text not in eval_texts]


def _beauty_items() -> list[tuple[int, str, str]]:
    """(item id, ASIN, title) of item_titles.tsv's rows with a title, whitespace collapsed."""
    items: list[tuple[int, str, str]] = []
    with open(data_dir() / "amazon_beauty_item_titles" / "item_titles.tsv", encoding="utf-8", newline="") as fh:
        lines = fh.read().split("\n")
    for line in lines[1:]:
        parts = line.rstrip("\r").split("\t")
        if len(parts) >= 3 and parts[2].strip():
            items.append((int(parts[0]), parts[1], " ".join(parts[2].split())))
    return items


def read_beauty_titles() -> dict[int, str]:
    return {item_id: title for item_id, _, title in _beauty_items()}


def read_beauty_sequences() -> list[tuple[str, list[int]]]:
    seqs: list[tuple[str, list[int]]] = []
    with open(data_dir() / "amazon_beauty_s3rec" / "Beauty.txt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2:
                seqs.append((parts[0], [int(p) for p in parts[1:]]))
    return seqs


def _retail_lines() -> list[tuple[str, str]]:
    """(StockCode, description) of every Online Retail transaction line with a description, whitespace collapsed."""
    lines: list[tuple[str, str]] = []
    path = data_dir() / "online_retail_uci_2010_12_2011_01" / "transactions.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            desc = " ".join((rec["Description"] or "").split())
            if desc:
                lines.append((rec["StockCode"], desc))
    return lines


def read_retail_descriptions() -> list[str]:
    return list(dict.fromkeys(desc for _, desc in _retail_lines()))


def read_beauty_products() -> list[tuple[str, str]]:
    """(sku, title) of the Amazon Beauty products, sku as the catalogue import names them (`beauty-<ASIN>`)."""
    return [(f"beauty-{asin}", title) for _, asin, title in _beauty_items()]


def read_retail_products() -> list[tuple[str, str]]:
    """(sku, description) of the Online Retail products, sku as the catalogue import names them (`retail-<StockCode>`), first description of each."""
    first: dict[str, str] = {}
    for code, desc in _retail_lines():
        first.setdefault(f"retail-{code}", desc)
    return list(first.items())


def is_crop_held_out(sku: str) -> bool:
    """Products whose titles the embedder's query-crop source never trains on (half the catalogue).

    `pnpm eval:search` applies the same rule to report known-item queries for these products apart
    from the rest."""
    return bucket("split/search-crops/" + sku) < 50


def product_titles() -> list[str]:
    return list(read_beauty_titles().values()) + read_retail_descriptions()
