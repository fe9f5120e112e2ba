"""Train the sentiment model's n-gram heads and choose how each is blended with the network.

    ngram_head.py --model-dir models/serendip-sentiment-zh-en [--version 1.2.0]

Per language, a multinomial logistic regression over hashed TF-IDF n-grams (character 1-3-grams
of each run that is not a Latin word; Latin words as 1-3-grams), trained on that language's
fine-tuning rows. On English star ratings it is as good as the 3.8 M-parameter network alone and
errs differently, so the served probabilities are a blend of both in log space:

    log p = alpha * log_softmax(network) + (1 - alpha) * log_softmax(head),  neutral += offset

over the classes the head's rows had (a class it never saw keeps the network's log-probability).

A text is routed by its script (ROUTING). Each head's L2 strength, class weights, alpha and
neutral offset are chosen together on its language's validation rows that the network never
learnt from (`common.Review.is_validation`, LANGUAGES' `choose`; the criterion of
finetune_sentiment.py, mean macro-F1 over the sets), never on evaluation rows. One setting for
both languages was tried first: the Chinese sets outnumber the English one three to one in the
mean, and it chose a blend that lost English validation macro-F1 (0.664 -> 0.652).
packages/inference (`ngram-head.ts`) computes the same features and hashes; the shared contract is
FEATURES, ROUTING and the file layout of `write_heads`.

Writes ngram-head.bin and ngram-head.json into the model folder and records the head in its
config.json (`serendip.head`, and `serendip.version` with --version).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import struct
import time
from collections import Counter
from pathlib import Path

import torch
from torch.nn import functional as F

import common
from batching import load_tokenizer
from export_torch import WEIGHTS_FILE, export_torch, folder_task, stale, task_model
from finetune_sentiment import EVAL_SETS, macro_f1, predict

HEAD_BIN = "ngram-head.bin"
HEAD_JSON = "ngram-head.json"
MAGIC = b"SNGH"
FORMAT = 1
FEATURES = "lowercase; Latin words [a-z0-9']+ as 1-3-grams 'w:a b'; every other run of non-space characters as character 1-3-grams 'c:xy'; FNV-1a 32 of the UTF-8 bytes mod buckets"
ROUTING = "zh when the text has a Han character (U+3400-U+9FFF, U+F900-U+FAFF), else en"
# One head per language, trained on its sets' rows and chosen on the validation rows of `choose`.
# Not on the shopping set's: the served network starts from the embedder, whose shopping pairs
# were built from that set's labels, so it has seen them (as finetune_sentiment.py's choice for
# 1.1.0 left them out too).
LANGUAGES = {
    "zh": {"sets": EVAL_SETS[:3], "choose": ("chinese_sentiment_chnsenticorp", "chinese_sentiment_waimai_10k"), "buckets": 1 << 19},
    "en": {"sets": EVAL_SETS[3:], "choose": EVAL_SETS[3:], "buckets": 1 << 18},
}
WORD = re.compile(r"[a-z0-9']+")
SPLIT = re.compile(r"[a-z0-9'\s]+")
HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
L2_GRID = (1e-5, 3e-5, 1e-4)
ALPHA_GRID = (0.0, 0.25, 0.5, 0.75, 1.0)
OFFSET_GRID = (-1.0, -0.5, 0.0, 0.5, 1.0)
FIXTURE = common.MODELS_DIR / "fixtures" / "ngram-head-parity.json"
# Written for the fixture (no data set's rows are committed): both scripts, mixed, emoji, empty, accents, long.
FIXTURE_TEXTS = [
    "Great fit! Isn't it 很好用😀 ok", "质量很差，不会再买了", "It's okay, nothing special.", "   ", "ÉTÉ Café naïve", "5 stars!!!",
    "物流很快，包装完好，宝贝和描述的一样，五星好评！", "酒店房间一般般，早餐还行，下次不一定再来。", "The seams came apart after one wash; returning it.",
    "Runs small, order a size up. Otherwise lovely color and soft fabric.", "外卖送到的时候已经凉了😡 差评",
    "I wanted to love this dress but the fit is strange at the waist and the material is thin. " * 4,
]


def fnv1a(text: str) -> int:
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def features(text: str) -> list[str]:
    lower = text.lower()
    words = WORD.findall(lower)
    out = [f"w:{' '.join(words[i:i + n])}" for n in (1, 2, 3) for i in range(len(words) - n + 1)]
    for run in SPLIT.split(lower):
        out += [f"c:{run[i:i + n]}" for n in (1, 2, 3) for i in range(len(run) - n + 1)]
    return out


def language(text: str) -> str:
    return "zh" if HAN.search(text) else "en"


def bucket_counts(text: str, buckets: int) -> Counter:
    return Counter(fnv1a(f) % buckets for f in features(text))


def tfidf(docs: list[Counter], idf: torch.Tensor) -> torch.Tensor:
    """Sublinear tf times idf, each row L2-normalised, as a sparse (rows, buckets) matrix."""
    rows, cols, vals = [], [], []
    for r, counts in enumerate(docs):
        if not counts:
            continue
        buckets = list(counts)
        v = torch.tensor([1 + math.log(counts[b]) for b in buckets]) * idf[buckets]
        v = v / v.norm()
        rows += [r] * len(buckets)
        cols += buckets
        vals += v.tolist()
    return torch.sparse_coo_tensor(torch.tensor([rows, cols], dtype=torch.long).reshape(2, -1), torch.tensor(vals, dtype=torch.float32),
                                   (len(docs), len(idf))).coalesce()


def train_head(x: torch.Tensor, labels: list[int], l2: float, class_weight: torch.Tensor | None) -> tuple[torch.Tensor, torch.Tensor]:
    weight = torch.zeros(x.shape[1], len(common.LABELS), requires_grad=True)
    bias = torch.zeros(len(common.LABELS), requires_grad=True)
    target = torch.tensor(labels)
    opt = torch.optim.LBFGS([weight, bias], lr=1, max_iter=200, history_size=10, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = F.cross_entropy(torch.sparse.mm(x, weight) + bias, target, weight=class_weight) + l2 * (weight * weight).sum()
        loss.backward()
        return loss

    opt.step(closure)
    return weight.detach(), bias.detach()


def blend(network: torch.Tensor, head: torch.Tensor, alpha: float, offset: float, trained: list[int]) -> torch.Tensor:
    """The classes the head was trained on are blended (the head's softmax taken over them alone);
    a class it never saw (neutral, for the binary Chinese sets) keeps the network's log-probability,
    since the head's value there says only that its data had no such rows."""
    mixed = F.log_softmax(network, -1)
    mixed[:, trained] = alpha * mixed[:, trained] + (1 - alpha) * F.log_softmax(head[:, trained], -1)
    mixed[:, common.NEUTRAL] += offset
    return mixed


def write_heads(folder: Path, heads: list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]) -> str:
    """magic, u32 format, u32 classes, u32 heads; per head (in LANGUAGES' order): u32 buckets,
    f32 bias[classes], f16 idf[buckets], f16 weight[buckets][classes]; little-endian."""
    body = MAGIC + struct.pack("<III", FORMAT, len(common.LABELS), len(heads))
    for idf, weight, bias in heads:
        body += (struct.pack("<I", len(idf)) + bias.float().numpy().astype("<f4").tobytes()
                 + idf.half().numpy().astype("<f2").tobytes() + weight.half().numpy().astype("<f2").tobytes())
    partial = folder / (HEAD_BIN + ".partial")
    partial.write_bytes(body)
    partial.replace(folder / HEAD_BIN)
    return hashlib.sha256(body).hexdigest()


def read_heads(folder: Path) -> dict[str, tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
    """Each language's idf, weights and bias as written (half precision)."""
    card = json.loads((folder / HEAD_JSON).read_text(encoding="utf-8"))
    body = (folder / card["file"]).read_bytes()
    classes = len(card["labels"])
    at = 16
    heads = {}
    for entry in card["heads"]:
        buckets = struct.unpack_from("<I", body, at)[0]
        at += 4
        bias = torch.frombuffer(bytearray(body[at:at + 4 * classes]), dtype=torch.float32)
        at += 4 * classes
        idf = torch.frombuffer(bytearray(body[at:at + 2 * buckets]), dtype=torch.float16).float()
        at += 2 * buckets
        weight = torch.frombuffer(bytearray(body[at:at + 2 * buckets * classes]), dtype=torch.float16).float().reshape(buckets, classes)
        at += 2 * buckets * classes
        heads[entry["language"]] = (idf, weight, bias)
    return heads


def write_fixture(folder: Path) -> None:
    """Texts and the head's logits for them, which packages/inference's head must reproduce."""
    heads = read_heads(folder)
    cases = []
    for text in FIXTURE_TEXTS:
        idf, weight, bias = heads[language(text)]
        logits = torch.sparse.mm(tfidf([bucket_counts(text, len(idf))], idf), weight)[0] + bias
        cases.append({"text": text, "language": language(text), "features": features(text)[:8], "logits": [round(v, 6) for v in logits.tolist()]})
    FIXTURE.write_text(json.dumps(cases, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"[ngram-head] {len(cases)} parity cases in {FIXTURE}", flush=True)


def choose_head(name: str, train: list, validation: dict, network: dict, buckets: int, started: float) -> dict:
    """Trains the language's head over the grid and keeps the setting best on its validation sets."""
    train_counts = [bucket_counts(r.text, buckets) for r in train]
    df = torch.zeros(buckets)
    for counts in train_counts:
        df[list(counts)] += 1
    idf = torch.log((1 + len(train)) / (1 + df)) + 1
    x = tfidf(train_counts, idf)
    labels = [r.label for r in train]
    trained = sorted(set(labels))
    print(f"[ngram-head] {name}: {len(train)} training texts, {int((df > 0).sum())} of {buckets} buckets used, validation "
          f"{', '.join(f'{k.split(chr(95))[-1]} {len(v)}' for k, v in validation.items())} ({time.time() - started:.0f}s)", flush=True)
    v_x = {k: tfidf([bucket_counts(r.text, buckets) for r in rows], idf) for k, rows in validation.items()}
    gold = {k: [r.label for r in rows] for k, rows in validation.items()}
    counts = Counter(labels)
    balanced = torch.tensor([len(labels) / (len(common.LABELS) * max(1, counts[c])) for c in range(len(common.LABELS))])
    best: dict = {"criterion": -1.0}
    for l2 in L2_GRID:
        for weighted in (False, True):
            weight, bias = train_head(x, labels, l2, balanced if weighted else None)
            heads = {k: torch.sparse.mm(v_x[k], weight) + bias for k in validation}
            for alpha in ALPHA_GRID:
                for offset in OFFSET_GRID:
                    f1 = {k: macro_f1(gold[k], blend(network[k], heads[k], alpha, offset, trained).argmax(-1).tolist()) for k in validation}
                    criterion = sum(f1.values()) / len(f1)
                    if criterion > best["criterion"]:
                        best = {"criterion": criterion, "l2": l2, "class_weights": weighted, "alpha": alpha, "neutral_offset": offset,
                                "validation_macro_f1": {k: round(v, 4) for k, v in f1.items()}, "weight": weight, "bias": bias}
            print(f"[ngram-head] {name}: l2 {l2:g}, class weights {weighted}: best so far {best['criterion']:.4f} "
                  f"(alpha {best['alpha']}, offset {best['neutral_offset']}) ({time.time() - started:.0f}s)", flush=True)
    network_only = {k: round(macro_f1(gold[k], network[k].argmax(-1).tolist()), 4) for k in validation}
    return {**best, "idf": idf, "training_rows": len(train), "network_only": network_only, "trained": trained}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model-dir", type=Path, default=common.MODELS_DIR / "serendip-sentiment-zh-en")
    parser.add_argument("--version", help="also set config.json's serendip.version (the blend changes what the model answers)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--fixture-only", action="store_true", help="only rewrite the parity fixture from the folder's heads")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.fixture_only:
        write_fixture(args.model_dir)
        return
    started = time.time()

    reviews = common.read_all_reviews()
    held_back = {r.text for r in reviews if r.is_validation and not r.is_eval}
    train = [r for r in reviews if not r.is_eval and not r.is_validation and r.text not in held_back]
    # As finetune_sentiment.py: a validation text found in another set chooses nothing.
    elsewhere = Counter(text for text, _ in {(r.text, r.dataset) for r in reviews})
    validation = {name: [r for r in reviews if r.is_validation and not r.is_eval and r.dataset == name and elsewhere[r.text] == 1] for name in EVAL_SETS}

    if stale(args.model_dir):
        export_torch(args.model_dir)
    task, hf = folder_task(args.model_dir)
    model = task_model(task, hf)
    model.load_state_dict(torch.load(args.model_dir / WEIGHTS_FILE))
    model.eval()
    tokenizer = load_tokenizer()
    network = {name: predict(model, [tokenizer.encode(r.text, common.MAX_LENGTH) for r in rows], "cpu") for name, rows in validation.items()}

    chosen = {}
    for name, spec in LANGUAGES.items():
        chosen[name] = choose_head(name, [r for r in train if r.dataset in spec["sets"]], {k: validation[k] for k in spec["choose"]},
                                   {k: network[k] for k in spec["choose"]}, spec["buckets"], started)
    digest = write_heads(args.model_dir, [(c["idf"], c["weight"], c["bias"]) for c in chosen.values()])
    card = {
        "format": FORMAT, "file": HEAD_BIN, "sha256": digest, "labels": list(common.LABELS), "features": FEATURES, "routing": ROUTING,
        "heads": [{"language": name, "buckets": LANGUAGES[name]["buckets"], "labels": [common.LABELS[i] for i in c["trained"]],
                   "alpha": c["alpha"], "neutralOffset": c["neutral_offset"],
                   "trainingRows": c["training_rows"],
                   "chosen": {"l2": c["l2"], "classWeights": c["class_weights"], "criterion": round(c["criterion"], 4),
                              "validationMacroF1": c["validation_macro_f1"], "networkOnlyValidationMacroF1": c["network_only"]}}
                  for name, c in chosen.items()],
        "grid": {"l2": list(L2_GRID), "classWeights": [False, True], "alpha": list(ALPHA_GRID), "neutralOffset": list(OFFSET_GRID)},
    }
    (args.model_dir / HEAD_JSON).write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    config_path = args.model_dir / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config.setdefault("serendip", {})["head"] = {"card": HEAD_JSON, "file": HEAD_BIN, "sha256": digest}
    if args.version:
        config["serendip"]["version"] = args.version
    config_path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    for name, c in chosen.items():
        print(f"[ngram-head] {name}: l2 {c['l2']:g}, class weights {c['class_weights']}, alpha {c['alpha']}, neutral offset "
              f"{c['neutral_offset']}: validation {c['validation_macro_f1']} against {c['network_only']} for the network alone", flush=True)
    write_fixture(args.model_dir)
    print(f"[ngram-head] wrote {args.model_dir / HEAD_BIN} ({time.time() - started:.0f}s)", flush=True)


if __name__ == "__main__":
    main()
