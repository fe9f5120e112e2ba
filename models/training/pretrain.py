"""Masked-LM pretraining of the small BERT on the training splits of the review and title texts.

15% of the non-special tokens are selected; of those 80% become [MASK], 10% a random token and
10% stay unchanged. Logits are computed only at the selected positions. The learning-rate
schedule (linear warm-up, linear decay to zero) runs on wall-clock progress, so `--minutes`
bounds the stage on any machine; `--max-steps` bounds it by steps instead.
"""
from __future__ import annotations

import argparse
import json
import random
import time
from dataclasses import asdict, replace

import torch
from torch.nn import functional as F

import common
from batching import add_runtime_args, encode_cached, format_eta, length_batches, load_tokenizer, pad, start_runtime
from modeling import BertConfig, BertForMaskedLM, count_parameters
from tokenization import MASK_ID, SPECIAL_TOKENS


def pretraining_texts() -> tuple[list[str], list[str]]:
    reviews = common.read_all_reviews()
    train = [r.text for r in reviews if not r.is_eval] + common.product_titles()
    evaluation = [r.text for r in reviews if r.is_eval]
    return train, evaluation


def mask_tokens(ids: torch.Tensor, vocab_size: int, rng: torch.Generator) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Returns (corrupted ids, flattened selected positions, original ids at those positions)."""
    special = ids < len(SPECIAL_TOKENS)
    select = (torch.rand(ids.shape, generator=rng) < 0.15) & ~special
    # At least one target per batch keeps the loss defined for batches of very short titles.
    if not select.any():
        candidates = (~special).nonzero()
        if len(candidates):
            r, c = candidates[torch.randint(len(candidates), (1,), generator=rng)][0]
            select[r, c] = True
    roll = torch.rand(ids.shape, generator=rng)
    corrupted = ids.clone()
    corrupted[select & (roll < 0.8)] = MASK_ID
    random_ids = torch.randint(len(SPECIAL_TOKENS), vocab_size, ids.shape, generator=rng)
    use_random = select & (roll >= 0.8) & (roll < 0.9)
    corrupted[use_random] = random_ids[use_random]
    positions = select.flatten().nonzero().squeeze(1)
    return corrupted, positions, ids.flatten()[positions]


@torch.no_grad()
def evaluate(model: BertForMaskedLM, rows: list[list[int]], device: str, vocab_size: int) -> dict:
    model.eval()
    rng = torch.Generator().manual_seed(1234)
    total_loss = correct = count = 0.0
    for start in range(0, len(rows), 64):
        ids, mask = pad(rows[start:start + 64])
        corrupted, pos, target = mask_tokens(ids, vocab_size, rng)
        logits = model(corrupted.to(device), mask.to(device), torch.zeros_like(ids).to(device), pos.to(device))
        total_loss += F.cross_entropy(logits, target.to(device), reduction="sum").item()
        correct += (logits.argmax(-1).cpu() == target).sum().item()
        count += len(target)
    model.train()
    return {"mlm_loss": total_loss / count, "mlm_accuracy": correct / count, "targets": int(count)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument("--max-steps", type=int, default=0, help="stop after this many steps (0: time only)")
    parser.add_argument("--hidden", type=int, default=192)
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--max-tokens", type=int, default=4096, help="padded tokens per batch")
    parser.add_argument("--max-batch", type=int, default=96)
    add_runtime_args(parser, seed=13, checkpoint="pretrain")
    args = parser.parse_args()
    started = start_runtime(args)

    tokenizer = load_tokenizer()
    train_texts, eval_texts = pretraining_texts()
    rows = encode_cached("pretrain-train", train_texts, tokenizer)
    eval_rows = encode_cached("pretrain-eval", eval_texts, tokenizer)
    eval_rows = random.Random(0).sample(eval_rows, min(2000, len(eval_rows)))
    lengths = [len(r) for r in rows]
    n_tokens = sum(lengths)

    cfg = BertConfig(vocab_size=len(tokenizer.vocab), hidden_size=args.hidden, num_hidden_layers=args.layers,
                     num_attention_heads=args.heads, intermediate_size=4 * args.hidden,
                     max_position_embeddings=common.MAX_LENGTH)
    # No dropout while pretraining: a model this small in a budget this short underfits, and
    # dropout only slows it down (it is back at 0.1 for fine-tuning, per the saved config).
    model = BertForMaskedLM(replace(cfg, hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)).to(args.device)
    print(f"[pretrain] {len(rows)} texts, {n_tokens} tokens (mean {n_tokens / len(rows):.0f}); "
          f"eval {len(eval_rows)} texts; model {count_parameters(model) / 1e6:.2f}M parameters "
          f"(hidden {cfg.hidden_size}, {cfg.num_hidden_layers} layers, vocab {cfg.vocab_size}); "
          f"budget {args.minutes} min", flush=True)

    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.98), eps=1e-6)
    budget = args.minutes * 60
    warmup = 0.06
    rng = random.Random(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    t0 = time.time()
    step = epoch = seen_tokens = 0
    window_loss, window_n, window_tokens, window_start = 0.0, 0, 0, time.time()
    done = False
    model.train()
    while not done:
        epoch += 1
        for batch in length_batches(lengths, args.max_tokens, args.max_batch, rng):
            progress = (time.time() - t0) / budget
            if args.max_steps:
                progress = max(progress, step / args.max_steps)
            if progress >= 1.0:
                done = True
                break
            lr = args.lr * min(progress / warmup, 1.0) * min(1.0, (1.0 - progress) / (1.0 - warmup))
            for g in opt.param_groups:
                g["lr"] = lr
            ids, mask = pad([rows[i] for i in batch])
            corrupted, pos, target = mask_tokens(ids, cfg.vocab_size, gen)
            logits = model(corrupted.to(args.device), mask.to(args.device),
                           torch.zeros_like(ids).to(args.device), pos.to(args.device))
            loss = F.cross_entropy(logits, target.to(args.device))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            real = int(mask.sum())
            seen_tokens += real
            window_loss += loss.item()
            window_n += 1
            window_tokens += real
            if step % 50 == 0:
                now = time.time()
                print(f"[pretrain] step {step} epoch {epoch} loss {window_loss / window_n:.3f} lr {lr:.2e} "
                      f"{window_tokens / (now - window_start):.0f} tok/s elapsed {format_eta(now - t0)} "
                      f"ETA {format_eta(budget * (1 - progress))}", flush=True)
                window_loss, window_n, window_tokens, window_start = 0.0, 0, 0, now
    train_seconds = time.time() - t0
    metrics = evaluate(model, eval_rows, args.device, cfg.vocab_size)
    metrics.update({"steps": step, "epochs": round(seen_tokens / n_tokens, 2), "tokens_seen": seen_tokens,
                    "train_seconds": round(train_seconds, 1), "parameters": count_parameters(model),
                    "train_texts": len(rows), "train_tokens": n_tokens, "device": args.device, "torch": torch.__version__,
                    "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
    state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    torch.save({"config": asdict(cfg), "state_dict": state, "metrics": metrics}, args.out)
    (common.SCRATCH_DIR / "metrics-pretrain.json").write_text(json.dumps(metrics, indent=2) + "\n")
    print(f"[pretrain] done: {step} steps, {metrics['epochs']} epochs over the corpus, eval MLM loss "
          f"{metrics['mlm_loss']:.3f} accuracy {metrics['mlm_accuracy']:.3f}; saved {args.out} "
          f"(stage {format_eta(time.time() - started)})", flush=True)


if __name__ == "__main__":
    main()
