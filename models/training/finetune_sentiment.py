"""Fine-tune the pretrained encoder into the 3-class (negative/neutral/positive) classifier.

Chinese sets are binary (negative/positive); English star ratings give all three classes
(1-2 negative, 3 neutral, 4-5 positive). Neutral is rare (English only, ~3% of the rows), so the
loss uses class-balanced weights (Cui et al., CVPR 2019: weight ∝ (1-β)/(1-β^n_c), β=0.9999),
which lift the rare class without the extreme weights of plain inverse frequency.
Evaluation: ChnSentiCorp test, and the eval split (bucket < 10) of the shopping, waimai and
English sets, with accuracy and macro-F1 from the 3-way argmax the deployed model returns.
"""
from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter
from dataclasses import asdict

import torch
from torch.nn import functional as F

import common
from batching import add_runtime_args, checkpoint_path, encode_cached, format_eta, length_batches, load_tokenizer, pad, start_runtime
from modeling import BertConfig, BertForSequenceClassification, count_parameters, encoder_state

EVAL_SETS = ("chinese_sentiment_chnsenticorp", "chinese_sentiment_online_shopping_10_cats",
             "chinese_sentiment_waimai_10k", "english_reviews_womens_clothing")


def class_weights(labels: list[int], beta: float = 0.9999) -> torch.Tensor:
    counts = Counter(labels)
    w = torch.tensor([(1 - beta) / (1 - beta ** counts.get(c, 1)) for c in range(len(common.LABELS))])
    return w / w.sum() * len(common.LABELS)


def macro_f1(gold: list[int], pred: list[int]) -> float:
    scores = []
    for c in sorted(set(gold)):
        tp = sum(1 for g, p in zip(gold, pred) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred) if g == c and p != c)
        scores.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return sum(scores) / len(scores)


@torch.no_grad()
def predict(model: BertForSequenceClassification, rows: list[list[int]], device: str) -> torch.Tensor:
    model.eval()
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
    logits = torch.zeros(len(rows), len(common.LABELS))
    for start in range(0, len(order), 128):
        idx = order[start:start + 128]
        ids, mask = pad([rows[i] for i in idx])
        logits[idx] = model(ids.to(device), mask.to(device), torch.zeros_like(ids).to(device)).float().cpu()
    model.train()
    return logits


def evaluate(model: BertForSequenceClassification, eval_data: dict[str, tuple[list[list[int]], list[int]]],
             device: str) -> dict:
    results = {}
    for name, (rows, gold) in eval_data.items():
        logits = predict(model, rows, device)
        pred = logits.argmax(-1).tolist()
        entry = {"rows": len(gold), "accuracy": sum(int(g == p) for g, p in zip(gold, pred)) / len(gold),
                 "macro_f1": macro_f1(gold, pred)}
        if common.NEUTRAL not in gold:
            # Binary sets: also the accuracy with "neutral" excluded from the argmax.
            binary = torch.where(logits[:, common.POSITIVE] > logits[:, common.NEGATIVE],
                                 common.POSITIVE, common.NEGATIVE).tolist()
            entry["binary_accuracy"] = sum(int(g == p) for g, p in zip(gold, binary)) / len(gold)
            entry["predicted_neutral"] = sum(int(p == common.NEUTRAL) for p in pred) / len(gold)
        results[name] = {k: round(v, 4) if isinstance(v, float) else v for k, v in entry.items()}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--init", default=str(checkpoint_path("pretrain")), help="pretraining checkpoint")
    parser.add_argument("--minutes", type=float, default=12.0)
    parser.add_argument("--max-epochs", type=float, default=3.0)
    parser.add_argument("--lr", type=float, default=2e-4)
    parser.add_argument("--max-tokens", type=int, default=4096)
    parser.add_argument("--max-batch", type=int, default=64)
    add_runtime_args(parser, seed=17, checkpoint="sentiment")
    args = parser.parse_args()
    started = start_runtime(args)

    tokenizer = load_tokenizer()
    reviews = common.read_all_reviews()
    train = [r for r in reviews if not r.is_eval]
    rows = encode_cached("sentiment-train", [r.text for r in train], tokenizer)
    labels = [r.label for r in train]
    eval_data = {}
    for name in EVAL_SETS:
        subset = [r for r in reviews if r.is_eval and r.dataset == name]
        eval_data[name] = (encode_cached(f"sentiment-eval-{name}", [r.text for r in subset], tokenizer),
                           [r.label for r in subset])

    init = torch.load(args.init, map_location="cpu")
    cfg = BertConfig(**init["config"])
    model = BertForSequenceClassification(cfg, num_labels=len(common.LABELS))
    missing, unexpected = model.bert.load_state_dict(encoder_state(init["state_dict"]), strict=False)
    if unexpected or any(not k.startswith("pooler.") for k in missing):
        raise RuntimeError(f"checkpoint does not match the encoder: missing {missing}, unexpected {unexpected}")
    model.to(args.device)
    weights = class_weights(labels).to(args.device)
    print(f"[sentiment] {len(rows)} training texts, labels {dict(sorted(Counter(labels).items()))}, "
          f"class weights {[round(w, 3) for w in weights.tolist()]}; eval "
          + ", ".join(f"{k.split('_')[-1]} {len(v[1])}" for k, v in eval_data.items())
          + f"; {count_parameters(model) / 1e6:.2f}M parameters; budget {args.minutes} min", flush=True)

    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    lengths = [len(r) for r in rows]
    total_tokens = sum(lengths)
    rng = random.Random(args.seed)
    budget = args.minutes * 60
    t0 = time.time()
    step = seen = 0
    win_loss = win_n = win_tok = 0
    win_start = t0
    done = False
    while not done:
        for batch in length_batches(lengths, args.max_tokens, args.max_batch, rng):
            progress = max((time.time() - t0) / budget, seen / (total_tokens * args.max_epochs))
            if progress >= 1.0:
                done = True
                break
            lr = args.lr * min(progress / 0.06, 1.0) * min(1.0, (1.0 - progress) / 0.94)
            for g in opt.param_groups:
                g["lr"] = lr
            ids, mask = pad([rows[i] for i in batch])
            target = torch.tensor([labels[i] for i in batch], device=args.device)
            logits = model(ids.to(args.device), mask.to(args.device), torch.zeros_like(ids).to(args.device))
            loss = F.cross_entropy(logits, target, weight=weights)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            tok = int(mask.sum())
            seen += tok
            win_loss += loss.item()
            win_n += 1
            win_tok += tok
            if step % 50 == 0:
                now = time.time()
                print(f"[sentiment] step {step} epoch {seen / total_tokens:.2f} loss {win_loss / win_n:.3f} "
                      f"lr {lr:.2e} {win_tok / (now - win_start):.0f} tok/s elapsed {format_eta(now - t0)} "
                      f"ETA {format_eta((now - t0) / max(progress, 1e-6) * (1 - progress))}", flush=True)
                win_loss = win_n = win_tok = 0
                win_start = now
    train_seconds = time.time() - t0
    results = evaluate(model, eval_data, args.device)
    metrics = {"eval": results, "steps": step, "epochs": round(seen / total_tokens, 2),
               "train_seconds": round(train_seconds, 1), "train_texts": len(rows),
               "train_labels": dict(sorted(Counter(labels).items())),
               "class_weights": [round(w, 4) for w in weights.tolist()], "device": args.device, "torch": torch.__version__,
                    "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "parameters": count_parameters(model)}
    state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    torch.save({"config": asdict(cfg), "state_dict": state, "metrics": metrics}, args.out)
    (common.SCRATCH_DIR / "metrics-sentiment.json").write_text(json.dumps(metrics, indent=2) + "\n")
    for name, r in results.items():
        print(f"[sentiment] eval {name}: " + ", ".join(f"{k} {v}" for k, v in r.items()), flush=True)
    print(f"[sentiment] done: {step} steps, {metrics['epochs']} epochs; saved {args.out} "
          f"(stage {format_eta(time.time() - started)})", flush=True)


if __name__ == "__main__":
    main()
