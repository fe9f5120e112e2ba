"""Tokenized-corpus caching and length-bucketed batching shared by the training stages."""
from __future__ import annotations

import hashlib
import json
import random
import time
from pathlib import Path
from typing import Iterator, Sequence

import torch

import common
from modeling import BertConfig, encoder_state
from tokenization import PAD_ID, WordPieceTokenizer
from vocab import VOCAB_DIR, load_vocab


def load_tokenizer() -> WordPieceTokenizer:
    return WordPieceTokenizer(load_vocab())


def vocab_digest() -> str:
    return hashlib.sha256((VOCAB_DIR / "vocab.txt").read_bytes()).hexdigest()[:12]


def encode_cached(name: str, texts: Sequence[str], tokenizer: WordPieceTokenizer) -> list[list[int]]:
    """Tokenizing ~100k texts takes ~20 s in pure Python; stages rerun often, so cache by content."""
    digest = hashlib.sha256(("\x00".join(texts) + vocab_digest()).encode("utf-8")).hexdigest()[:16]
    path = common.SCRATCH_DIR / f"tokens-{name}-{digest}.pt"
    if path.exists():
        return torch.load(path)
    started = time.time()
    encoded = [tokenizer.encode(t, common.MAX_LENGTH) for t in texts]
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(encoded, path)
    print(f"[tokens] {name}: {len(texts)} texts tokenized in {time.time() - started:.1f}s", flush=True)
    return encoded


def pad(rows: Sequence[Sequence[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(r) for r in rows)
    ids = torch.full((len(rows), width), PAD_ID, dtype=torch.long)
    for i, r in enumerate(rows):
        ids[i, : len(r)] = torch.tensor(r, dtype=torch.long)
    return ids, (ids != PAD_ID).long()


def length_batches(lengths: Sequence[int], max_tokens: int, max_batch: int, rng: random.Random,
                   pool: int = 50) -> Iterator[list[int]]:
    """Shuffled batches of similar length ("sortish"): little padding, still random order.

    Batches are capped by padded token count so long-review batches do not blow up step time."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    chunk = max_batch * pool
    batches: list[list[int]] = []
    for start in range(0, len(order), chunk):
        part = sorted(order[start:start + chunk], key=lambda i: lengths[i])
        current: list[int] = []
        width = 0
        for i in part:
            w = max(width, lengths[i])
            if current and (len(current) + 1 > max_batch or w * (len(current) + 1) > max_tokens):
                batches.append(current)
                current, w = [], lengths[i]
            current.append(i)
            width = w
        if current:
            batches.append(current)
    rng.shuffle(batches)
    yield from batches


def load_encoder(init: str) -> tuple["BertConfig", dict[str, torch.Tensor]]:
    """The encoder a fine-tuning stage starts from, with its config: a training checkpoint (pretraining's,
    or any with `bert.*` weights), or a model folder with config.json and pytorch_model.bin
    (export_torch.py), to continue from a model already trained. The pooler, which no stage
    shares, is left out."""
    folder = Path(init)
    if folder.is_dir():
        cfg = BertConfig.from_hf(json.loads((folder / "config.json").read_text(encoding="utf-8")))
        state = torch.load(folder / "pytorch_model.bin", map_location="cpu", weights_only=True)
        # A classifier's weights carry the `bert.` prefix, an embedder's (a bare BertModel) do not.
        if any(k.startswith("bert.") for k in state):
            state = encoder_state(state)
    else:
        checkpoint = torch.load(init, map_location="cpu")
        cfg = BertConfig(**checkpoint["config"])
        state = encoder_state(checkpoint["state_dict"])
    return cfg, {k: v for k, v in state.items() if not k.startswith("pooler.")}


def format_eta(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s"


def checkpoint_path(name: str) -> Path:
    return common.SCRATCH_DIR / f"{name}.pt"


def add_runtime_args(parser, *, seed: int, checkpoint: str) -> None:
    """Arguments every training stage takes: where it runs, how it is seeded, where it saves."""
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=seed)
    parser.add_argument("--out", default=str(checkpoint_path(checkpoint)))


def start_runtime(args) -> float:
    """Applies the runtime arguments; returns the wall-clock start of the stage."""
    torch.set_num_threads(args.threads)
    # TF32 matmuls on Ampere/Hopper: the tiny model is launch-bound there, precision is not the limit.
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.manual_seed(args.seed)
    return time.time()
