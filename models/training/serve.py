"""Serve one model folder's PyTorch weights to packages/inference's torch backend over stdin/stdout.

    serve.py --model-dir models/serendip-embed-zh-en --task embed --device cpu --threads 1 --pooling mean

packages/inference starts one such process per model (INFERENCE_BACKEND=torch). Tokenisation
stays in Node, so the token ids are the ONNX path's; this process runs the network of
modeling.py on pytorch_model.bin (export_torch.py) and answers what the ONNX path makes of its
graph's output: for embed the pooled vectors (mean under the attention mask, or [CLS]) before
normalisation, for sentiment the logits. Batches are answered one at a time, in order.

Frames, little-endian, each a u32 byte length followed by that many bytes:
  request   u32 id, u32 rows, u32 tokens, i32 input_ids[rows * tokens], i32 attention_mask[rows * tokens]
  response  u32 id, u32 status, then by status
              0 result: u32 rows, u32 width, f32 values[rows * width]
              1 error (the batch failed; the process goes on): utf-8 message
              2 ready (once, id 0, after loading): utf-8 JSON {protocol, task, device, torch, width}
              3 failed (once, id 0, loading failed; the process then exits 2): utf-8 message
End of input (the parent closed the pipe or died) ends the process; so does a request it cannot
read (exit 3), since its stream is then out of step with the parent's.
"""
from __future__ import annotations

import argparse
import json
import os
import struct
import sys
from pathlib import Path
from typing import BinaryIO

import torch
from torch import nn

from export_torch import WEIGHTS_FILE, folder_task, task_model
from modeling import mean_pool

PROTOCOL = 1
RESULT, ERROR, READY, FAILED = 0, 1, 2, 3
REQUEST_HEADER = struct.Struct("<III")
# Far above any batch the Node side sends (512 texts of 512 tokens is 2 MB); a larger length
# means the stream is corrupt, and reading it would only exhaust memory.
MAX_REQUEST_BYTES = 64 << 20


class BadRequest(Exception):
    pass


def write_frame(out: BinaryIO, request_id: int, status: int, body: bytes) -> None:
    out.write(struct.pack("<III", 8 + len(body), request_id, status))
    out.write(body)
    out.flush()


def read_exactly(inp: BinaryIO, size: int) -> bytes | None:
    """`size` bytes, or None at end of input before the first of them."""
    data = inp.read(size)
    if not data:
        return None
    if len(data) != size:
        raise BadRequest(f"input ended inside a frame ({len(data)} of {size} bytes)")
    return data


def load(args: argparse.Namespace) -> tuple[nn.Module, int]:
    folder = Path(args.model_dir)
    weights = folder / WEIGHTS_FILE
    if not weights.exists():
        raise FileNotFoundError(f"missing {weights} (generate it with models/training/export_torch.py {folder})")
    if args.device == "cuda" and not torch.cuda.is_available():
        build = f"CUDA {torch.version.cuda}" if torch.version.cuda else "a CPU-only build"
        raise RuntimeError(f"INFERENCE_DEVICE=cuda, but PyTorch {torch.__version__} ({build}) at {sys.executable} "
                           "sees no GPU; point INFERENCE_PYTHON at a Python whose PyTorch is built for CUDA "
                           "(Debian's python3-torch is CPU-only) and check nvidia-smi")
    task, hf = folder_task(folder)
    if task != args.task:
        raise ValueError(f"{folder} holds the {task} network ({hf['architectures'][0]}), not the {args.task} one")
    model = task_model(task, hf)
    try:
        model.load_state_dict(torch.load(weights, map_location="cpu", weights_only=True), strict=True)
    except RuntimeError as error:
        raise RuntimeError(f"{weights} does not hold the {args.task} network of modeling.py: {error}") from error
    model.to(args.device).eval()
    width = hf["hidden_size"] if args.task == "embed" else len(hf["id2label"])
    return model, width


@torch.inference_mode()
def run(model: nn.Module, args: argparse.Namespace, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    ids, mask = ids.to(args.device), mask.to(args.device)
    # Node sends no token types: transformers.js gives the ONNX graph zeros too.
    out = model(ids, mask, torch.zeros_like(ids))
    if args.task == "embed":
        out = mean_pool(out, mask) if args.pooling == "mean" else out[:, 0]
    return out.float().cpu().contiguous()


def parse_request(payload: bytes) -> tuple[int, torch.Tensor, torch.Tensor]:
    if len(payload) < REQUEST_HEADER.size:
        raise BadRequest(f"request of {len(payload)} bytes is shorter than its header")
    request_id, rows, tokens = REQUEST_HEADER.unpack_from(payload)
    count = rows * tokens
    if len(payload) != REQUEST_HEADER.size + 8 * count:
        raise BadRequest(f"request {request_id} of {rows}x{tokens} tokens has {len(payload)} bytes, "
                         f"not {REQUEST_HEADER.size + 8 * count}")
    values = torch.frombuffer(bytearray(payload[REQUEST_HEADER.size:]), dtype=torch.int32).to(torch.long)
    return request_id, values[:count].reshape(rows, tokens), values[count:].reshape(rows, tokens)


def serve(model: nn.Module, args: argparse.Namespace, inp: BinaryIO, out: BinaryIO) -> None:
    while True:
        prefix = read_exactly(inp, 4)
        if prefix is None:
            return
        (length,) = struct.unpack("<I", prefix)
        if length > MAX_REQUEST_BYTES:
            raise BadRequest(f"request length {length} exceeds {MAX_REQUEST_BYTES} bytes")
        payload = read_exactly(inp, length) if length else b""
        if payload is None:
            raise BadRequest("input ended after a frame's length")
        request_id, ids, mask = parse_request(payload)
        try:
            result = run(model, args, ids, mask)
        except Exception as error:  # one failed batch (out of memory, say) must not take the process down
            write_frame(out, request_id, ERROR, f"{type(error).__name__}: {error}".encode("utf-8"))
            continue
        body = struct.pack("<II", *result.shape) + result.numpy().tobytes()
        write_frame(out, request_id, RESULT, body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model-dir", required=True)
    parser.add_argument("--task", choices=("embed", "sentiment"), required=True)
    parser.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--pooling", choices=("mean", "cls"), default="mean")
    args = parser.parse_args()
    # Only frames may reach the pipe: anything else written to stdout (a library's notice, from
    # Python or from C) would put the parent's reader out of step, so the frames get a descriptor
    # of their own and descriptor 1 becomes stderr.
    inp, out = sys.stdin.buffer, os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    torch.set_num_threads(args.threads)
    try:
        model, width = load(args)
    except Exception as error:
        write_frame(out, 0, FAILED, str(error).encode("utf-8"))
        sys.exit(2)
    ready = {"protocol": PROTOCOL, "task": args.task, "device": args.device, "torch": torch.__version__, "width": width}
    write_frame(out, 0, READY, json.dumps(ready).encode("utf-8"))
    try:
        serve(model, args, inp, out)
    except BadRequest as error:
        print(f"serve.py: {error}; exiting", file=sys.stderr, flush=True)
        sys.exit(3)
    except BrokenPipeError:
        # The parent went away mid-answer; nobody is left to tell.
        sys.exit(0)


if __name__ == "__main__":
    main()
