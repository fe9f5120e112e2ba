"""A SASRec-style sequential recommender: causal self-attention over a shopper's item ids, trained
with full-softmax cross-entropy over every item (which the literature finds clearly better than
BERT4Rec-style masking or one sampled negative), the epoch chosen on each user's validation item.

Input: one user per line, `user item item …` in time order (Beauty.txt's format; item ids ≥ 1), or
Games.test.inter's `user<TAB>history<TAB>target` (see read_sequences).
Leave-one-out (`--holdout 2`, the benchmarks' split): the last item is the test item, the second
to last the validation item, the rest training. `--holdout 1` (the platform's own events, where
there is no test item) makes the last item the validation item. Training reads only training
items: every training prefix predicts its next training item; the validation item is predicted
from the training items after each epoch (full ranking, the user's history excluded) and the best
epoch is kept. Test items are never read.

`--refit` (after model selection, as is standard): once the validation item has chosen the number
of epochs, a fresh model (same seed and settings) is trained for exactly that many epochs on the
training items plus each user's validation item (every prefix of them predicting its next item, so
the validation item is now a target), with nothing left to validate on, and that model is exported
instead; the selection run's model is written to `--out`/selection/. Test items are still never
read. The refit model may be measured only on the test item with the validation item in the
history (eval:topn's `EVAL_TOPN_HISTORY=train+valid`); its model.json keeps the selection run's
validation figures and per-epoch history, and adds `refit`. With `--holdout 1` the refit trains on
every item. It takes about as long again as the selection run up to its best epoch, on top of
`--minutes`.

`--item-features` adds side information: each item's frozen text vector, projected and added to
its id embedding (see SASRec).

Writes to --out: `sequence.onnx` (items int64 [batch, MAX_LEN], left-padded with 0 → query
float32 [batch, DIM]: the last position's output), `item-vectors.f32` (little-endian float32,
[items + 1, DIM], row 0 the padding item; an item's score is query · its row) and `model.json`
(sizes, settings, validation HR@10 / NDCG@10 per epoch, training seconds, the refit if any).

    /usr/bin/python3 models/training/sequence_model.py --sequences ../shared/data/amazon_beauty_s3rec/Beauty.txt \
        --out /tmp/serendip-sequence --minutes 15
"""
from __future__ import annotations

import argparse
import ctypes
import json
import math
import random
import time
from pathlib import Path

import torch
from torch import nn


def read_sequences(path: Path) -> list[list[int]]:
    """`user item item …` per line (Beauty.txt), or a RecBole `.inter` file of `user<TAB>history<TAB>
    target` lines under a `user_id:token` header (amazon_games_llmrank's Games.test.inter), whose
    0-based ids are shifted by one as eval:topn shifts them, so that 0 stays the padding item."""
    sequences = []
    with open(path, encoding="utf-8") as fh:
        first = fh.readline()
        if first.startswith("user_id:token"):
            for line in fh:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 3 and parts[1].strip():
                    sequences.append([int(item) + 1 for item in parts[1].split()] + [int(parts[2]) + 1])
            return sequences
        for line in [first, *fh]:
            parts = line.split()
            if len(parts) >= 2:
                sequences.append([int(item) for item in parts[1:]])
    return sequences


def keep_freed_memory() -> None:
    """Every batch allocates and frees logits of tens of MiB. glibc returns such blocks to the
    system each time and faults them in again on the next batch; raising its mmap and trim
    thresholds keeps them in the process (a Beauty epoch: 24 s before, 22 s after). glibc only;
    a no-op elsewhere."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    m_trim_threshold, m_mmap_threshold = -1, -3
    libc.mallopt(m_trim_threshold, 1 << 30)
    libc.mallopt(m_mmap_threshold, 1 << 25)  # glibc's largest allowed value (32 MiB on 64-bit)


def read_features(path: Path, dim: int | None, items: int) -> torch.Tensor:
    """The --item-features matrix, checked against the sequences it is meant for."""
    if not dim or dim <= 0:
        raise SystemExit("sequence_model: --item-features needs --feature-dim")
    data = path.read_bytes()
    if len(data) % (4 * dim):
        raise SystemExit(f"sequence_model: {path} holds {len(data)} bytes, not a whole number of {dim}-wide float32 rows")
    features = torch.frombuffer(bytearray(data), dtype=torch.float32).reshape(-1, dim)
    if features.shape[0] < items + 1:
        raise SystemExit(f"sequence_model: {path} has {features.shape[0]} rows; the sequences name items up to {items}, so at least {items + 1} are needed")
    if not torch.isfinite(features).all():
        raise SystemExit(f"sequence_model: {path} holds values that are not finite")
    return features


class Block(nn.Module):
    """Pre-norm causal self-attention and feed-forward, written out so that ONNX export sees plain ops."""

    def __init__(self, dim: int, heads: int, dropout: float):
        super().__init__()
        self.heads = heads
        self.attention_norm = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.projection = nn.Linear(dim, dim)
        self.feed_norm = nn.LayerNorm(dim)
        self.feed = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Dropout(dropout), nn.Linear(4 * dim, dim))
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        batch, length, dim = x.shape
        q, k, v = self.qkv(self.attention_norm(x)).split(dim, dim=-1)
        shape = (batch, length, self.heads, dim // self.heads)
        q, k, v = (t.reshape(shape).transpose(1, 2) for t in (q, k, v))
        weights = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(dim // self.heads) + mask, dim=-1)
        attended = (self.dropout(weights) @ v).transpose(1, 2).reshape(batch, length, dim)
        x = x + self.dropout(self.projection(attended))
        return x + self.dropout(self.feed(self.feed_norm(x)))


class SASRec(nn.Module):
    def __init__(self, items: int, dim: int, layers: int, heads: int, max_len: int, dropout: float, features: torch.Tensor | None = None):
        super().__init__()
        self.items = nn.Embedding(items + 1, dim, padding_idx=0)
        self.positions = nn.Embedding(max_len, dim)
        self.dropout = nn.Dropout(dropout)
        self.blocks = nn.ModuleList([Block(dim, heads, dropout) for _ in range(layers)])
        self.norm = nn.LayerNorm(dim)
        self.max_len = max_len
        self.register_buffer("causal", torch.triu(torch.full((max_len, max_len), -1e9), diagonal=1))
        # Side information: each item's frozen text vector (its title through the embedder), mapped
        # into the id space by a learned projection and added to the id embedding, so an item
        # bought a handful of times borrows from items with similar titles. The projection is the
        # only thing learned from the vectors, so they cannot memorise items. An item never seen as
        # a target still scores low: its id embedding learns that as a softmax negative.
        self.register_buffer("features", features if features is not None else torch.zeros(0), persistent=False)
        self.feature_projection = nn.Linear(features.shape[1], dim, bias=False) if features is not None else None
        nn.init.normal_(self.items.weight, std=dim**-0.5)
        with torch.no_grad():
            self.items.weight[0].zero_()

    def item_table(self) -> torch.Tensor:
        """[items + 1, dim]: the vectors items are read in by and scored against (row 0 is padding)."""
        if self.feature_projection is None:
            return self.items.weight
        return self.items.weight + self.feature_projection(self.features)

    def forward(self, ids: torch.Tensor, table: torch.Tensor | None = None) -> torch.Tensor:
        """Hidden states [batch, len, dim] for left-padded ids [batch, len ≤ max_len].

        Padding is masked out of attention, so a window gives the same output however much padding
        it carries: training trims each batch to its longest window, serving pads to max_len. The
        newest item always takes the last position embedding, as it does at max_len.
        """
        table = self.item_table() if table is None else table
        length = ids.shape[1]
        real = (ids != 0).unsqueeze(-1).to(torch.float32)
        x = nn.functional.embedding(ids, table) * math.sqrt(table.shape[1]) + self.positions.weight[self.max_len - length :].unsqueeze(0)
        x = self.dropout(x) * real
        # Each position attends to itself and earlier real items. A padding position attends to
        # nothing (an even spread over -1e9s, not NaN) and is zeroed anyway.
        mask = self.causal[:length, :length] + (1.0 - real.transpose(1, 2)).unsqueeze(1) * -1e9
        for block in self.blocks:
            x = block(x, mask) * real
        return self.norm(x)


class QueryModel(nn.Module):
    """What is exported: a sequence of item ids to the query vector its next item is scored by.
    The item table is computed once (the features' projection included) and baked into the graph."""

    def __init__(self, model: SASRec):
        super().__init__()
        self.model = model
        self.register_buffer("table", model.item_table().detach().clone())

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return self.model(ids, self.table)[:, -1, :]


def left_pad(sequence: list[int], max_len: int) -> list[int]:
    tail = sequence[-max_len:]
    return [0] * (max_len - len(tail)) + tail


def training_examples(sequences: list[list[int]], max_len: int, holdout: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Per user: inputs = training items but the last, targets = training items but the first (both left-padded)."""
    inputs, targets = [], []
    for items in sequences:
        # Not items[:-holdout]: the refit passes holdout - 1, which is 0 under --holdout 1.
        train = items[: len(items) - holdout]
        if len(train) < 2:
            continue
        # Long histories are cut into windows, so no training transition is dropped.
        for end in range(len(train), 1, -max_len):
            window = train[max(0, end - max_len - 1) : end]
            inputs.append(left_pad(window[:-1], max_len))
            targets.append(left_pad(window[1:], max_len))
    return torch.tensor(inputs), torch.tensor(targets)


def length_batches(lengths: torch.Tensor, batch: int) -> list[torch.Tensor]:
    """Window indices in batches of similar length, the batches in a random order.

    A random order is cut into pools of 50 batches and each pool is sorted by length before it is
    cut into batches, so a batch can be trimmed to its longest window: most windows are far shorter
    than max_len (Beauty's average 6 of 50)."""
    order = torch.randperm(len(lengths))
    batches = []
    pool = 50 * batch
    for start in range(0, len(order), pool):
        chunk = order[start : start + pool]
        chunk = chunk[torch.argsort(lengths[chunk], descending=True)]
        batches.extend(chunk[i : i + batch] for i in range(0, len(chunk), batch))
    return [batches[i] for i in torch.randperm(len(batches)).tolist()]


def train_epoch(model: SASRec, optimiser: torch.optim.Optimizer, inputs: torch.Tensor, targets: torch.Tensor, batch: int, device: str) -> float:
    """One pass over the windows; returns the summed loss over predicted items."""
    loss_fn = nn.CrossEntropyLoss(reduction="sum")
    lengths = (inputs != 0).sum(dim=1)
    batches = length_batches(lengths, batch)
    # Batches of like length differ widely in how many items they predict (a batch of long windows
    # fifty times a batch of two-item ones). A per-batch mean would weigh an item in a short-window
    # batch up to fifty times more than one in a long-window batch; dividing every batch's sum by
    # the same mean count weighs every predicted item alike, as randomly mixed batches do.
    per_batch = float((targets != 0).sum()) / len(batches)
    total = 0.0
    for index in batches:
        width = int(lengths[index].max())
        x, y = inputs[index, -width:].to(device), targets[index, -width:].to(device)
        # The full softmax is computed only where there is a next item to predict.
        real = y != 0
        table = model.item_table()
        logits = model(x, table)[real] @ table.T
        loss = loss_fn(logits, y[real])
        optimiser.zero_grad()
        (loss / per_batch).backward()
        optimiser.step()
        total += loss.item()
    return total


@torch.no_grad()
def validate(model: SASRec, sequences: list[list[int]], max_len: int, holdout: int, batch: int, device: str) -> dict:
    """HR@10 and NDCG@10 of each user's validation item from their training items, full ranking."""
    model.eval()
    hits = ndcg = 0.0
    users = 0
    for start in range(0, len(sequences), batch):
        chunk = [s for s in sequences[start : start + batch] if len(s) > holdout]
        if not chunk:
            continue
        ids = torch.tensor([left_pad(s[:-holdout], max_len) for s in chunk], device=device)
        table = model.item_table()
        query = model(ids, table)[:, -1, :]
        scores = query @ table.T
        scores[:, 0] = float("-inf")
        for row, s in enumerate(chunk):
            scores[row, torch.tensor(s[:-holdout], device=device)] = float("-inf")
        target = torch.tensor([s[-holdout] for s in chunk], device=device)
        target_score = scores[torch.arange(len(chunk)), target].unsqueeze(1)
        rank = (scores > target_score).sum(dim=1)
        hits += (rank < 10).sum().item()
        ndcg += torch.where(rank < 10, 1 / torch.log2(rank.float() + 2), torch.zeros_like(rank, dtype=torch.float)).sum().item()
        users += len(chunk)
    model.train()
    return {"hr10": hits / max(users, 1), "ndcg10": ndcg / max(users, 1), "users": users}


def export(model: SASRec, out: Path, card: dict, max_len: int, device: str) -> None:
    """`sequence.onnx`, `item-vectors.f32` and `model.json` (the card) into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    example = torch.tensor([left_pad([1, 2, 3], max_len)], device=device)
    torch.onnx.export(
        QueryModel(model),
        (example,),
        str(out / "sequence.onnx"),
        input_names=["items"],
        output_names=["query"],
        dynamic_axes={"items": {0: "batch"}, "query": {0: "batch"}},
        opset_version=14,
    )
    vectors = model.item_table().detach().cpu().to(torch.float32).contiguous()
    (out / "item-vectors.f32").write_bytes(vectors.numpy().astype("<f4").tobytes())
    (out / "model.json").write_text(json.dumps(card, indent=2) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sequences", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--minutes", type=float, default=15, help="training budget; the best epoch within it is kept")
    parser.add_argument("--max-epochs", type=int, default=200)
    parser.add_argument("--patience", type=int, default=5, help="epochs without a better validation NDCG@10 before stopping")
    parser.add_argument("--dim", type=int, default=64)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--heads", type=int, default=1)
    parser.add_argument("--max-len", type=int, default=50)
    parser.add_argument("--dropout", type=float, default=0.5)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--holdout", type=int, choices=(1, 2), default=2, help="trailing items per user not trained on: 2 = validation and test, 1 = validation only")
    parser.add_argument(
        "--refit",
        action="store_true",
        help="after choosing the epoch count on the validation item, retrain from scratch for that many epochs on training + validation items and export that model",
    )
    parser.add_argument(
        "--item-features",
        type=Path,
        help="side information: little-endian float32 [rows, --feature-dim], row i item i's text vector (row 0 and items without text all zeros); items past the sequences' largest id are trained as never-seen items",
    )
    parser.add_argument("--feature-dim", type=int, help="the width of --item-features' rows")
    parser.add_argument("--min-users", type=int, default=50, help="refuse to train on fewer users than this")
    parser.add_argument("--device", default="cpu")
    # One thread is faster than two on 2 cores: the model's matrices are small, and a second
    # thread costs more in synchronisation than it saves.
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=20261204)
    args = parser.parse_args()

    keep_freed_memory()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    sequences = read_sequences(args.sequences)
    # A user teaches the model something only with two training items and a validation item.
    usable = [s for s in sequences if len(s) >= args.holdout + 2]
    if len(usable) < args.min_users:
        raise SystemExit(
            f"sequence_model: {len(usable)} users with at least {args.holdout + 2} items in {args.sequences}; at least {args.min_users} are needed"
        )
    items = max(max(s) for s in sequences)
    features = read_features(args.item_features, args.feature_dim, items) if args.item_features else None
    if features is not None:
        items = features.shape[0] - 1
    inputs, targets = training_examples(sequences, args.max_len, args.holdout)
    predictions = int((targets != 0).sum())
    print(f"sequence_model: {len(sequences)} users, {items} items, {len(inputs)} training windows, {predictions} next items to predict", flush=True)

    model = SASRec(items, args.dim, args.layers, args.heads, args.max_len, args.dropout, features).to(args.device)
    optimiser = torch.optim.Adam(model.parameters(), lr=args.lr)
    started = time.time()
    deadline = started + args.minutes * 60
    best: dict | None = None
    best_state = None
    history = []
    stale = 0
    for epoch in range(1, args.max_epochs + 1):
        total = train_epoch(model, optimiser, inputs, targets, args.batch, args.device)
        metrics = validate(model, sequences, args.max_len, args.holdout, 256, args.device)
        seconds = time.time() - started
        history.append({"epoch": epoch, "loss": total / predictions, **metrics, "seconds": round(seconds, 1)})
        print(
            f"epoch {epoch}: loss {total / predictions:.4f}  validation HR@10 {metrics['hr10']:.4f} NDCG@10 {metrics['ndcg10']:.4f}  {seconds:.0f} s",
            flush=True,
        )
        if best is None or metrics["ndcg10"] > best["ndcg10"]:
            best = {"epoch": epoch, **metrics}
            best_state = {key: value.detach().clone() for key, value in model.state_dict().items()}
            stale = 0
        else:
            stale += 1
        if stale >= args.patience or time.time() + seconds / epoch > deadline:
            break
    assert best is not None and best_state is not None
    model.load_state_dict(best_state)
    model.eval()
    selection_seconds = time.time() - started
    card = {
        "model": "serendip-sequence",
        "architecture": "SASRec (causal self-attention with padding masked, pre-norm, learned positions), full-softmax cross-entropy"
        + (", item text vectors as side information" if features is not None else ""),
        "itemFeatures": {"file": str(args.item_features), "dim": features.shape[1], "itemsWithText": int((features.abs().sum(dim=1) > 0).sum())} if features is not None else None,
        "items": items,
        "dim": args.dim,
        "layers": args.layers,
        "heads": args.heads,
        "maxLen": args.max_len,
        "dropout": args.dropout,
        "holdout": args.holdout,
        "parameters": sum(p.numel() for p in model.parameters()),
        "bestEpoch": best["epoch"],
        "validation": {"hr10": round(best["hr10"], 4), "ndcg10": round(best["ndcg10"], 4), "users": best["users"]},
        "trainingSeconds": round(selection_seconds, 1),
        "refit": None,
        "threads": args.threads,
        "device": args.device,
        "sequences": str(args.sequences),
        "epochs": history,
    }
    if not args.refit:
        export(model, args.out, card, args.max_len, args.device)
        print(f"sequence_model: best epoch {best['epoch']} (validation NDCG@10 {best['ndcg10']:.4f}), {card['parameters']} parameters, {selection_seconds:.0f} s; wrote {args.out}")
        return

    # The selection run's model is kept too: it alone may be measured on the validation item or
    # with training items only as the history, since the refit model learnt the validation items.
    export(model, args.out / "selection", card, args.max_len, args.device)
    print(f"sequence_model: best epoch {best['epoch']} (validation NDCG@10 {best['ndcg10']:.4f}) in {selection_seconds:.0f} s; wrote {args.out / 'selection'}", flush=True)
    # The same seed and settings as the selection run, so that only the extra targets differ.
    torch.manual_seed(args.seed)
    refit_inputs, refit_targets = training_examples(sequences, args.max_len, args.holdout - 1)
    refit_predictions = int((refit_targets != 0).sum())
    model = SASRec(items, args.dim, args.layers, args.heads, args.max_len, args.dropout, features).to(args.device)
    optimiser = torch.optim.Adam(model.parameters(), lr=args.lr)
    refit_started = time.time()
    losses = []
    for epoch in range(1, best["epoch"] + 1):
        total = train_epoch(model, optimiser, refit_inputs, refit_targets, args.batch, args.device)
        seconds = time.time() - refit_started
        losses.append({"epoch": epoch, "loss": total / refit_predictions, "seconds": round(seconds, 1)})
        print(f"refit epoch {epoch}/{best['epoch']}: loss {total / refit_predictions:.4f}  {seconds:.0f} s", flush=True)
    model.eval()
    training_seconds = time.time() - started
    refit = {
        "trainedOn": "training + validation items" if args.holdout == 2 else "every item",
        "epochs": best["epoch"],
        "windows": len(refit_inputs),
        "predictions": refit_predictions,
        "seconds": round(training_seconds - selection_seconds, 1),
        "losses": losses,
    }
    # trainingSeconds covers both runs; `validation` and `epochs` stay the selection run's.
    export(model, args.out, {**card, "trainingSeconds": round(training_seconds, 1), "selectionSeconds": round(selection_seconds, 1), "refit": refit}, args.max_len, args.device)
    print(
        f"sequence_model: refit for {best['epoch']} epochs on {refit['trainedOn']}, {card['parameters']} parameters, {training_seconds:.0f} s in all; wrote {args.out}"
    )

if __name__ == "__main__":
    main()
