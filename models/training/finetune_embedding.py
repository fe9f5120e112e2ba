"""Contrastive fine-tuning of the pretrained encoder into the sentence-embedding model.

Objective: symmetric in-batch InfoNCE (temperature 0.05) on mean-pooled, L2-normalised
embeddings — exactly the vectors packages/inference computes. Positive pairs come from three
sources, mixed in every batch:
  * shopping: two Chinese reviews with the same product category and the same sentiment;
  * clothing: two English reviews of the same clothing item;
  * beauty:   titles of two products one user bought consecutively (Beauty.txt x item_titles.tsv).
In-batch negatives that are in fact positives (same category+sentiment, same clothing item, a
shared beauty item) are masked out of the softmax instead of being pushed apart.

Held-out pairs are built only from evaluation rows (bucket < 10; for Beauty the key is the user
id, "split/amazon_beauty_s3rec/<user>"), and scored before (pretrained-only encoder) and after:
  * clothing / beauty recall@10: the query's own partner ranked among all held-out partners
    (for beauty any candidate with the same title counts);
  * shopping precision@10: share of the 10 nearest held-out reviews with the same category and
    sentiment (every same-group review is a valid partner, so exact-pair recall is meaningless).
"""
from __future__ import annotations

import argparse
import json
import random
import time
from collections import defaultdict
from dataclasses import asdict

import torch
from torch.nn import functional as F

import common
from batching import add_runtime_args, checkpoint_path, encode_cached, format_eta, load_tokenizer, pad, start_runtime
from modeling import BertConfig, BertModel, count_parameters, encoder_state, mean_pool

TEMPERATURE = 0.05
SOURCE_WEIGHTS = {"shopping": 0.4, "clothing": 0.3, "beauty": 0.3}
EVAL_PAIRS = 1000


class PairSource:
    """Training pairs of one source: `groups` maps a group key to encoded texts."""

    def __init__(self, name: str, groups: dict[str, list[list[int]]]):
        self.name = name
        self.keys = [k for k, v in groups.items() if len(v) >= 2]
        self.groups = groups

    def sample(self, rng: random.Random) -> tuple[list[int], list[int], set[str]]:
        key = rng.choice(self.keys)
        a, b = rng.sample(self.groups[key], 2)
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


def build_data(tokenizer, seed: int):
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
    sources.append(PairSource("shopping", groups))
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
    sources.append(PairSource("clothing", groups))
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
    return sources, held_out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--init", default=str(checkpoint_path("pretrain")), help="pretraining checkpoint")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--max-steps", type=int, default=0)
    parser.add_argument("--batch", type=int, default=64, help="pairs per batch")
    parser.add_argument("--lr", type=float, default=1e-4)
    add_runtime_args(parser, seed=23, checkpoint="embedding")
    args = parser.parse_args()
    started = start_runtime(args)

    tokenizer = load_tokenizer()
    sources, held_out = build_data(tokenizer, args.seed)
    init = torch.load(args.init, map_location="cpu")
    cfg = BertConfig(**init["config"])
    bert = BertModel(cfg, add_pooler=False)
    bert.load_state_dict({k: v for k, v in encoder_state(init["state_dict"]).items() if not k.startswith("pooler.")})
    bert.to(args.device)
    print("[embedding] sources: " + ", ".join(
        f"{s.name} {len(s.keys) if isinstance(s, PairSource) else len(s.pairs)} "
        f"{'groups' if isinstance(s, PairSource) else 'pairs'}" for s in sources)
        + "; held-out: " + ", ".join(f"{k} {len(v[0])} queries/{len(v[1])} candidates" for k, v in held_out.items())
        + f"; {count_parameters(bert) / 1e6:.2f}M parameters; budget {args.minutes} min", flush=True)
    baseline = evaluate(bert, held_out, args.device)
    print("[embedding] pretrained-only encoder: " + ", ".join(
        f"{k} {v['metric']} {v['value']}" for k, v in baseline.items()), flush=True)

    opt = torch.optim.AdamW(bert.parameters(), lr=args.lr, weight_decay=0.01)
    rng = random.Random(args.seed)
    names = [s.name for s in sources]
    weights = [SOURCE_WEIGHTS[n] for n in names]
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
        picks = rng.choices(sources, weights=weights, k=args.batch)
        pairs = [s.sample(rng) for s in picks]
        ids, mask = pad([p[0] for p in pairs] + [p[1] for p in pairs])
        ids, mask = ids.to(args.device), mask.to(args.device)
        emb = F.normalize(mean_pool(bert(ids, mask, torch.zeros_like(ids)), mask), dim=-1)
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
        win_tok += int(mask.sum())
        if step % 20 == 0:
            now = time.time()
            print(f"[embedding] step {step} loss {win_loss / win_n:.3f} lr {lr:.2e} "
                  f"{win_tok / (now - win_start):.0f} tok/s elapsed {format_eta(now - t0)} "
                  f"ETA {format_eta((now - t0) / max(progress, 1e-6) * (1 - progress))}", flush=True)
            win_loss = win_n = win_tok = 0
            win_start = now
    train_seconds = time.time() - t0
    final = evaluate(bert, held_out, args.device)
    metrics = {"pretrained_only": baseline, "fine_tuned": final, "steps": step, "batch_pairs": args.batch,
               "temperature": TEMPERATURE, "source_weights": SOURCE_WEIGHTS,
               "train_seconds": round(train_seconds, 1), "device": args.device, "torch": torch.__version__,
                    "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "parameters": count_parameters(bert)}
    state = {f"bert.{k}": v.detach().cpu() for k, v in bert.state_dict().items()}
    torch.save({"config": asdict(cfg), "state_dict": state, "metrics": metrics}, args.out)
    (common.SCRATCH_DIR / "metrics-embedding.json").write_text(json.dumps(metrics, indent=2) + "\n")
    for k in final:
        print(f"[embedding] {k} {final[k]['metric']}: pretrained-only {baseline[k]['value']} -> "
              f"fine-tuned {final[k]['value']}", flush=True)
    print(f"[embedding] done: {step} steps; saved {args.out} (stage {format_eta(time.time() - started)})", flush=True)


if __name__ == "__main__":
    main()
