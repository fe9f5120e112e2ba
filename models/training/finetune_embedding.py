"""Contrastive fine-tuning of the pretrained encoder into the sentence-embedding model.

Objective: symmetric in-batch InfoNCE (temperature 0.05) on mean-pooled, L2-normalised
embeddings — exactly the vectors packages/inference computes. Positive pairs come from three
sources, mixed in every batch:
  * shopping: two Chinese reviews with the same product category and the same sentiment;
  * clothing: two English reviews of the same clothing item;
  * beauty:   titles of two products one user bought consecutively (Beauty.txt x item_titles.tsv);
  * crops:    a search-like query cut from a product title (one to three of its content words, in
              random order) and the whole title (Amazon Beauty titles, Online Retail
              descriptions), so a shopper's words find the product that carries them; half the
              products are never cropped (`common.is_crop_held_out`) and give the held-out pairs;
  * bilingual: a Chinese word and one of its English senses from CC-CEDICT
              (`bilingual-pairs.ts` writes them; words of the review and title texts only), both
              directions, so a Chinese query lands near English titles of the same thing.
In-batch negatives that are in fact positives (same category+sentiment, same clothing item, a
shared beauty item) are masked out of the softmax instead of being pushed apart.

Held-out pairs are built only from evaluation rows (bucket < 10; for Beauty the key is the user
id, "split/amazon_beauty_s3rec/<user>"; crops: the never-cropped half of the products; bilingual:
bucket("split/cedict/<word>") < 10), and scored before (the starting encoder) and after:
  * clothing / beauty recall@10: the query's own partner ranked among all held-out partners
    (for beauty any candidate with the same title counts);
  * shopping precision@10: share of the 10 nearest held-out reviews with the same category and
    sentiment (every same-group review is a valid partner, so exact-pair recall is meaningless);
  * crops recall@10: a held-out product's crop finds its title among the held-out titles;
  * bilingual recall@10: a held-out Chinese word finds one of its senses among the held-out senses.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections import defaultdict
from dataclasses import asdict

import torch
from torch.nn import functional as F

import common
from batching import add_runtime_args, checkpoint_path, encode_cached, format_eta, load_encoder, load_tokenizer, pad, start_runtime
from modeling import BertModel, count_parameters, mean_pool

TEMPERATURE = 0.05
# The served model's mix. crops and bilingual are there to be weighed in with --source-weights: a
# run that added them (docs/evaluation.md, "eval:search") found known-item search better and
# category search worse, HYBRID no better, and was not adopted.
SOURCE_WEIGHTS = {"shopping": 0.4, "clothing": 0.3, "beauty": 0.3, "crops": 0.0, "bilingual": 0.0}

EVAL_PAIRS = 1000
# Words a crop never consists of: they name no product.
STOPWORDS = frozenset("""and the for with from that this not are all new set pack size each per its you your our
one two three four five six pcs piece pieces count ounce ounces fluid inch inches""".split())
WORD = re.compile(r"[a-z]+")


def shorten(row: list[int], length: int) -> list[int]:
    """At most `length` tokens, the closing [SEP] kept (the models always see it last)."""
    return row if len(row) <= length else row[: length - 1] + row[-1:]


class PairSource:
    """Training pairs of one source: `groups` maps a group key to encoded texts, cut to `tokens`."""

    def __init__(self, name: str, groups: dict[str, list[list[int]]], tokens: int):
        self.name = name
        self.tokens = tokens
        self.keys = [k for k, v in groups.items() if len(v) >= 2]
        self.groups = groups

    def sample(self, rng: random.Random) -> tuple[list[int], list[int], set[str]]:
        key = rng.choice(self.keys)
        a, b = (shorten(row, self.tokens) for row in rng.sample(self.groups[key], 2))
        return a, b, {f"{self.name}:{key}"}


class BeautySource:
    def __init__(self, sequences: list[list[int]], encoded: dict[int, list[int]], titles: dict[int, str]):
        self.pairs = [(x, y) for seq in sequences for x, y in zip(seq, seq[1:])
                      if x in encoded and y in encoded and titles[x] != titles[y]]
        self.encoded = encoded
        self.name = "beauty"

    def sample(self, rng: random.Random) -> tuple[list[int], list[int], set[str]]:
        x, y = rng.choice(self.pairs)
        if rng.random() < 0.5:
            x, y = y, x
        return self.encoded[x], self.encoded[y], {f"beauty:{x}", f"beauty:{y}"}


def content_words(title: str) -> list[str]:
    """The title's words a shopper might type: lower-case letter runs of 3+ letters, no stopword, each once."""
    return list(dict.fromkeys(w for w in WORD.findall(title.lower()) if len(w) >= 3 and w not in STOPWORDS))


def crop(words: list[str], rng: random.Random) -> str:
    k = min(len(words), rng.choices((1, 2, 3), weights=(0.3, 0.4, 0.3))[0])
    return " ".join(rng.sample(words, k))


class CropSource:
    """A query cropped from a product title, and the title."""

    def __init__(self, products: list[tuple[str, str]], tokenizer):
        kept = [(sku, title, content_words(title)) for sku, title in products]
        self.products = [(sku, words) for sku, _, words in kept if words]
        self.encoded = dict(zip((sku for sku, _, _ in kept), encode_cached(
            "embed-crop-titles", [title for _, title, _ in kept], tokenizer)))
        self.tokenizer = tokenizer
        self.name = "crops"

    def sample(self, rng: random.Random) -> tuple[list[int], list[int], set[str]]:
        sku, words = rng.choice(self.products)
        return self.tokenizer.encode(crop(words, rng)), self.encoded[sku], {f"crops:{sku}"}


class BilingualSource:
    """A Chinese word and an English sense of it, in either order."""

    def __init__(self, pairs: list[tuple[str, str]], tokenizer):
        words = sorted({zh for zh, _ in pairs} | {en for _, en in pairs})
        self.encoded = dict(zip(words, encode_cached("embed-bilingual-words", words, tokenizer)))
        self.pairs = pairs
        self.name = "bilingual"

    def sample(self, rng: random.Random) -> tuple[list[int], list[int], set[str]]:
        zh, en = rng.choice(self.pairs)
        a, b = (self.encoded[zh], self.encoded[en]) if rng.random() < 0.5 else (self.encoded[en], self.encoded[zh])
        # Another word with the same sense, or another sense of the same word, is no negative.
        return a, b, {f"bilingual:zh:{zh}", f"bilingual:en:{en}"}


def han_ngrams(texts: list[str], longest: int = 4) -> set[str]:
    grams: set[str] = set()
    for text in texts:
        for run in re.findall(r"[\u4e00-\u9fff]+", text):
            for n in range(1, longest + 1):
                grams.update(run[i:i + n] for i in range(len(run) - n + 1))
    return grams


def bilingual_pairs(path: str, reviews: list, titles: list[str]) -> list[tuple[str, str]]:
    """CC-CEDICT pairs whose Chinese word occurs in the Chinese training reviews and whose English
    words all occur in the English training texts: the words of this shop's domain, not the
    dictionary's 90,000 (most of which no product or review ever uses)."""
    chinese = han_ngrams([r.text for r in reviews if r.dataset.startswith("chinese") and not r.is_eval])
    english = set(WORD.findall(" ".join(titles + [r.text for r in reviews
                                                  if r.dataset.startswith("english") and not r.is_eval]).lower()))
    pairs = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            zh, _, en = line.rstrip("\n").partition("\t")
            if len(zh) <= 4 and zh in chinese and en and all(w in english for w in WORD.findall(en)) and WORD.search(en):
                pairs.append((zh, en))
    return pairs


def source_size(source) -> str:
    if isinstance(source, PairSource):
        return f"{len(source.keys)} groups"
    if isinstance(source, CropSource):
        return f"{len(source.products)} titles"
    return f"{len(source.pairs)} pairs"


def overlap_mask(keys: list[set[str]]) -> torch.Tensor:
    """[B, B] True where pair j shares a group key with pair i (j != i): a false in-batch negative."""
    ids: dict[str, int] = {}
    width = max(len(k) for k in keys)
    table = torch.full((len(keys), width), -1, dtype=torch.long)
    for i, ks in enumerate(keys):
        for j, k in enumerate(sorted(ks)):
            table[i, j] = ids.setdefault(k, len(ids))
    same = (table[:, None, :, None] == table[None, :, None, :]) & (table[:, None, :, None] >= 0)
    return same.flatten(2).any(-1) & ~torch.eye(len(keys), dtype=torch.bool)


@torch.no_grad()
def embed(bert: BertModel, rows: list[list[int]], device: str) -> torch.Tensor:
    bert.eval()
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
    out = torch.zeros(len(rows), bert.config.hidden_size)
    for start in range(0, len(order), 128):
        idx = order[start:start + 128]
        ids, mask = pad([rows[i] for i in idx])
        ids, mask = ids.to(device), mask.to(device)
        out[idx] = F.normalize(mean_pool(bert(ids, mask, torch.zeros_like(ids)), mask), dim=-1).float().cpu()
    bert.train()
    return out


def embed_for_training(bert: BertModel, rows: list[list[int]], device: str, chunks: int = 4) -> torch.Tensor:
    """Embeddings of `rows` in their order, with gradients. The rows run in `chunks` groups of like
    length, each padded to its own longest: a batch mixes three-token words with 64-token reviews,
    and one padding for all would spend most of a CPU step on padding."""
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
    size = -(-len(order) // chunks)
    parts, index = [], []
    for start in range(0, len(order), size):
        idx = order[start:start + size]
        ids, mask = pad([rows[i] for i in idx])
        ids, mask = ids.to(device), mask.to(device)
        parts.append(F.normalize(mean_pool(bert(ids, mask, torch.zeros_like(ids)), mask), dim=-1))
        index.extend(idx)
    emb = torch.empty(len(rows), parts[0].shape[1], device=device, dtype=parts[0].dtype)
    return emb.index_copy(0, torch.tensor(index, device=device), torch.cat(parts))


def evaluate(bert: BertModel, held_out: dict, device: str) -> dict:
    results = {}
    for name, (queries, candidates, relevant) in held_out.items():
        q, c = embed(bert, queries, device), embed(bert, candidates, device)
        top = (q @ c.T).topk(10, dim=-1).indices.tolist()
        if name == "shopping":
            score = sum(sum(int(j in rel) for j in t) / 10 for t, rel in zip(top, relevant)) / len(queries)
            results[name] = {"metric": "precision@10", "value": round(score, 4), "queries": len(queries),
                             "candidates": len(candidates)}
        else:
            score = sum(int(any(j in rel for j in t)) for t, rel in zip(top, relevant)) / len(queries)
            results[name] = {"metric": "recall@10", "value": round(score, 4), "queries": len(queries),
                             "candidates": len(candidates)}
    return results


def build_data(tokenizer, seed: int, bilingual_path: str, weights: dict[str, float], review_tokens: int):
    rng = random.Random(seed)
    reviews = common.read_all_reviews()
    sources = []
    held_out = {}

    shop = [r for r in reviews if r.dataset == "chinese_sentiment_online_shopping_10_cats"]
    shop_train = [r for r in shop if not r.is_eval]
    enc = encode_cached("embed-shopping-train", [r.text for r in shop_train], tokenizer)
    groups: dict[str, list[list[int]]] = defaultdict(list)
    for r, e in zip(shop_train, enc):
        groups[f"{r.group}/{common.LABELS[r.label]}"].append(e)
    sources.append(PairSource("shopping", groups, review_tokens))
    shop_eval = [r for r in shop if r.is_eval]
    rng.shuffle(shop_eval)
    queries, candidates = shop_eval[:EVAL_PAIRS], shop_eval[EVAL_PAIRS:3 * EVAL_PAIRS]
    held_out["shopping"] = (
        encode_cached("embed-shopping-q", [r.text for r in queries], tokenizer),
        encode_cached("embed-shopping-c", [r.text for r in candidates], tokenizer),
        [{j for j, c in enumerate(candidates) if (c.group, c.label) == (q.group, q.label)} for q in queries],
    )

    cloth = [r for r in reviews if r.dataset == "english_reviews_womens_clothing"]
    cloth_train = [r for r in cloth if not r.is_eval]
    enc = encode_cached("embed-clothing-train", [r.text for r in cloth_train], tokenizer)
    groups = defaultdict(list)
    for r, e in zip(cloth_train, enc):
        groups[r.group].append(e)
    sources.append(PairSource("clothing", groups, review_tokens))
    by_item: dict[str, list[str]] = defaultdict(list)
    for r in cloth:
        if r.is_eval:
            by_item[r.group].append(r.text)
    pairs = [rng.sample(texts, 2) for _, texts in sorted(by_item.items()) if len(texts) >= 2]
    rng.shuffle(pairs)
    pairs = pairs[:EVAL_PAIRS]
    held_out["clothing"] = (
        encode_cached("embed-clothing-q", [p[0] for p in pairs], tokenizer),
        encode_cached("embed-clothing-c", [p[1] for p in pairs], tokenizer),
        [{i} for i in range(len(pairs))],
    )

    titles = common.read_beauty_titles()
    ids = sorted(titles)
    enc = encode_cached("embed-beauty-titles", [titles[i] for i in ids], tokenizer)
    encoded = dict(zip(ids, enc))
    train_seqs, eval_pairs = [], []
    for user, seq in common.read_beauty_sequences():
        if common.is_eval("amazon_beauty_s3rec", user):
            options = [(x, y) for x, y in zip(seq, seq[1:]) if x in titles and y in titles and titles[x] != titles[y]]
            if options:
                eval_pairs.append(rng.choice(options))
        else:
            train_seqs.append(seq)
    sources.append(BeautySource(train_seqs, encoded, titles))
    rng.shuffle(eval_pairs)
    eval_pairs = eval_pairs[:EVAL_PAIRS]
    held_out["beauty"] = (
        [encoded[x] for x, _ in eval_pairs],
        [encoded[y] for _, y in eval_pairs],
        [{j for j, (_, y2) in enumerate(eval_pairs) if titles[y2] == titles[y]} for _, y in eval_pairs],
    )

    products = common.read_beauty_products() + common.read_retail_products()
    if weights["crops"] > 0:
        add_crops(sources, held_out, products, tokenizer, rng)
    if weights["bilingual"] > 0:
        add_bilingual(sources, held_out, bilingual_pairs(bilingual_path, reviews, [title for _, title in products]), tokenizer, rng)
    return sources, held_out


def add_crops(sources: list, held_out: dict, products: list[tuple[str, str]], tokenizer, rng: random.Random) -> None:
    sources.append(CropSource([p for p in products if not common.is_crop_held_out(p[0])], tokenizer))
    unseen = [(sku, title, content_words(title)) for sku, title in products if common.is_crop_held_out(sku)]
    unseen = [p for p in unseen if p[2]]
    rng.shuffle(unseen)
    candidates = unseen[:3 * EVAL_PAIRS]
    queries = candidates[:EVAL_PAIRS]
    held_out["crops"] = (
        [tokenizer.encode(crop(words, rng)) for _, _, words in queries],
        encode_cached("embed-crops-c", [title for _, title, _ in candidates], tokenizer),
        [{j for j, c in enumerate(candidates) if c[1] == title} for _, title, _ in queries],
    )


def add_bilingual(sources: list, held_out: dict, pairs: list[tuple[str, str]], tokenizer, rng: random.Random) -> None:
    held = [(zh, en) for zh, en in pairs if common.bucket("split/cedict/" + zh) < 10]
    sources.append(BilingualSource([(zh, en) for zh, en in pairs if common.bucket("split/cedict/" + zh) >= 10], tokenizer))
    words = sorted({zh for zh, _ in held})
    rng.shuffle(words)
    words = words[:EVAL_PAIRS]
    senses = sorted({en for _, en in held})
    held_out["bilingual"] = (
        [tokenizer.encode(zh) for zh in words],
        [tokenizer.encode(en) for en in senses],
        [{senses.index(en) for zh2, en in held if zh2 == zh} for zh in words],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--init", default=str(checkpoint_path("pretrain")),
                        help="where training starts: a pretraining checkpoint, or a model folder whose pytorch_model.bin "
                             "(export_torch.py) continues an embedder already trained")
    parser.add_argument("--bilingual-pairs", default=str(common.SCRATCH_DIR / "bilingual-pairs.tsv"),
                        help="CC-CEDICT pairs written by bilingual-pairs.ts")
    parser.add_argument("--review-tokens", type=int, default=common.MAX_LENGTH,
                        help="reviews are cut to this many tokens in training pairs (an opening says what a review is "
                             "about; 64 makes a CPU step several times cheaper than the full 128)")
    parser.add_argument("--source-weights", default="",
                        help="share of each source in a batch, over the defaults: e.g. 'crops=0.35,bilingual=0.2' "
                             f"(defaults {SOURCE_WEIGHTS}); a source at 0 is not built")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--max-steps", type=int, default=0)
    parser.add_argument("--batch", type=int, default=64, help="pairs per batch")
    parser.add_argument("--lr", type=float, default=1e-4)
    add_runtime_args(parser, seed=23, checkpoint="embedding")
    args = parser.parse_args()
    started = start_runtime(args)

    tokenizer = load_tokenizer()
    weights = {**SOURCE_WEIGHTS, **dict((name, float(value)) for name, _, value in
                                        (item.partition("=") for item in args.source_weights.split(",") if item))}
    unknown = set(weights) - set(SOURCE_WEIGHTS)
    if unknown:
        raise SystemExit(f"finetune_embedding: unknown sources {sorted(unknown)} in --source-weights (known: {', '.join(SOURCE_WEIGHTS)})")
    sources, held_out = build_data(tokenizer, args.seed, args.bilingual_pairs, weights, args.review_tokens)
    cfg, state = load_encoder(args.init)
    bert = BertModel(cfg, add_pooler=False)
    bert.load_state_dict(state)
    bert.to(args.device)
    print("[embedding] sources: " + ", ".join(
        f"{s.name} {source_size(s)}" for s in sources)
        + "; held-out: " + ", ".join(f"{k} {len(v[0])} queries/{len(v[1])} candidates" for k, v in held_out.items())
        + f"; {count_parameters(bert) / 1e6:.2f}M parameters; budget {args.minutes} min", flush=True)
    baseline = evaluate(bert, held_out, args.device)
    print("[embedding] starting encoder: " + ", ".join(
        f"{k} {v['metric']} {v['value']}" for k, v in baseline.items()), flush=True)

    opt = torch.optim.AdamW(bert.parameters(), lr=args.lr, weight_decay=0.01)
    rng = random.Random(args.seed)
    shares = [weights[s.name] for s in sources]
    budget = args.minutes * 60
    t0 = time.time()
    step = 0
    win_loss = win_n = win_tok = 0
    win_start = t0
    bert.train()
    while True:
        progress = (time.time() - t0) / budget
        if args.max_steps:
            progress = max(progress, step / args.max_steps)
        if progress >= 1.0:
            break
        lr = args.lr * min(progress / 0.06, 1.0) * min(1.0, (1.0 - progress) / 0.94)
        for g in opt.param_groups:
            g["lr"] = lr
        picks = rng.choices(sources, weights=shares, k=args.batch)
        pairs = [s.sample(rng) for s in picks]
        rows = [p[0] for p in pairs] + [p[1] for p in pairs]
        emb = embed_for_training(bert, rows, args.device)
        a, b = emb[: args.batch], emb[args.batch:]
        sim = a @ b.T / TEMPERATURE
        false_neg = overlap_mask([p[2] for p in pairs]).to(args.device)
        sim = sim.masked_fill(false_neg, float("-inf"))
        target = torch.arange(args.batch, device=args.device)
        loss = (F.cross_entropy(sim, target) + F.cross_entropy(sim.T, target)) / 2
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(bert.parameters(), 1.0)
        opt.step()
        step += 1
        win_loss += loss.item()
        win_n += 1
        win_tok += sum(len(row) for row in rows)
        if step % 20 == 0:
            now = time.time()
            print(f"[embedding] step {step} loss {win_loss / win_n:.3f} lr {lr:.2e} "
                  f"{win_tok / (now - win_start):.0f} tok/s elapsed {format_eta(now - t0)} "
                  f"ETA {format_eta((now - t0) / max(progress, 1e-6) * (1 - progress))}", flush=True)
            win_loss = win_n = win_tok = 0
            win_start = now
    train_seconds = time.time() - t0
    final = evaluate(bert, held_out, args.device)
    metrics = {"init": args.init, "pretrained_only": baseline, "fine_tuned": final, "steps": step, "batch_pairs": args.batch,
               "temperature": TEMPERATURE, "source_weights": weights,
               "train_seconds": round(train_seconds, 1), "device": args.device, "torch": torch.__version__,
                    "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "parameters": count_parameters(bert)}
    state = {f"bert.{k}": v.detach().cpu() for k, v in bert.state_dict().items()}
    torch.save({"config": asdict(cfg), "state_dict": state, "metrics": metrics}, args.out)
    (common.SCRATCH_DIR / "metrics-embedding.json").write_text(json.dumps(metrics, indent=2) + "\n")
    for k in final:
        print(f"[embedding] {k} {final[k]['metric']}: start {baseline[k]['value']} -> "
              f"fine-tuned {final[k]['value']}", flush=True)
    print(f"[embedding] done: {step} steps; saved {args.out} (stage {format_eta(time.time() - started)})", flush=True)


if __name__ == "__main__":
    main()
