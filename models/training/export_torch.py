"""Write a model folder's PyTorch weights (pytorch_model.bin) back out of its fp32 ONNX file.

    export_torch.py models/serendip-embed-zh-en models/serendip-sentiment-zh-en
    export_torch.py --if-stale models/serendip-embed-zh-en ...   # only where missing or older than the ONNX

The torch inference backend (serve.py) runs the network of modeling.py on these weights. The
committed model folders hold only ONNX files (the training checkpoints stay in the scratch
folder), so the weights are read from onnx/model.onnx: every float initializer there is a
parameter of the network under its state-dict name, except the encoder's Linear weights, which
torch.onnx.export constant-folds into a transposed copy under an anonymous name
(`onnx::MatMul_606`) feeding the MatMul that its module path names
(`/bert/encoder/layer.0/attention/self/query/MatMul`). The tensors are loaded strictly into the
modeling.py network, so a missing, extra or misshapen tensor fails here rather than at serving,
and the state dict is saved with torch.save (Debian has no python3-safetensors; torch.load reads
it back with weights_only=True, which unpickles tensors only). The state-dict names are
transformers' (BertModel for embeddings, BertForSequenceClassification for sentiment), so the
file also loads there.

The file is about as large as model.onnx (15 MB each), so it is generated at set-up rather than
committed: the ONNX file stays the one source of the weights. packages/inference's tests check
that the torch backend's outputs match ONNX Runtime's on the same texts.

The protobuf is read directly (the few field numbers of onnx.proto used below) rather than
through the `onnx` package, which set-up would otherwise install beside PyTorch for this alone.
"""
from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Iterator

import torch
from torch import nn

from modeling import BertConfig, BertForSequenceClassification, BertModel, count_parameters, encoder_state

WEIGHTS_FILE = "pytorch_model.bin"
ONNX_FILE = Path("onnx") / "model.onnx"
# config.json's architectures entry (export.hf_config) → the task names export.py and serve.py use.
TASKS = {"BertModel": "embed", "BertForSequenceClassification": "sentiment"}

# onnx.proto field numbers: ModelProto.graph; GraphProto.node/initializer; NodeProto.input/name/
# op_type; TensorProto.dims/data_type/float_data/name/raw_data/data_location.
MODEL_GRAPH = 7
GRAPH_NODE, GRAPH_INITIALIZER = 1, 5
NODE_INPUT, NODE_NAME, NODE_OP_TYPE = 1, 3, 4
TENSOR_DIMS, TENSOR_DATA_TYPE, TENSOR_FLOAT_DATA, TENSOR_NAME, TENSOR_RAW_DATA, TENSOR_DATA_LOCATION = 1, 2, 4, 8, 9, 14
ONNX_FLOAT, ONNX_EXTERNAL = 1, 1


def _varint(buf: memoryview, at: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        byte = buf[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def _fields(buf: memoryview) -> Iterator[tuple[int, int | memoryview]]:
    """(field number, value) of one protobuf message: ints for varints, views for everything else."""
    at = 0
    while at < len(buf):
        key, at = _varint(buf, at)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, at = _varint(buf, at)
            yield number, value
        elif wire == 2:
            length, at = _varint(buf, at)
            yield number, buf[at:at + length]
            at += length
        elif wire in (1, 5):
            width = 8 if wire == 1 else 4
            yield number, buf[at:at + width]
            at += width
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")


def _packed_varints(value: int | memoryview) -> list[int]:
    """A repeated int64 field comes packed (one bytes value) or one varint at a time."""
    if isinstance(value, int):
        return [value]
    out, at = [], 0
    while at < len(value):
        item, at = _varint(value, at)
        out.append(item)
    return out


def _tensor(buf: memoryview) -> tuple[str, torch.Tensor | None]:
    """An initializer's name and values; None for non-float tensors (never parameters)."""
    name, dims, data_type, raw, floats = "", [], 0, None, bytearray()
    for number, value in _fields(buf):
        if number == TENSOR_NAME:
            name = bytes(value).decode("utf-8")
        elif number == TENSOR_DIMS:
            dims.extend(_packed_varints(value))
        elif number == TENSOR_DATA_TYPE:
            data_type = value
        elif number == TENSOR_RAW_DATA:
            raw = bytes(value)
        elif number == TENSOR_FLOAT_DATA:
            floats += bytes(value)
        elif number == TENSOR_DATA_LOCATION and value == ONNX_EXTERNAL:
            raise ValueError(f"initializer {name or '?'} is stored outside the .onnx file; "
                             "only self-contained files are read")
    if data_type != ONNX_FLOAT:
        return name, None
    data = raw if raw is not None else bytes(floats)
    # ONNX stores little-endian, as x86 and ARM hosts read it.
    values = torch.frombuffer(bytearray(data), dtype=torch.float32) if data else torch.empty(0)
    return name, values.reshape(dims)


def read_onnx(path: Path) -> tuple[dict[str, torch.Tensor], list[tuple[str, str, list[str]]]]:
    """The graph's float initializers by name, and its nodes as (op_type, name, inputs)."""
    buf = memoryview(path.read_bytes())
    graphs = [value for number, value in _fields(buf) if number == MODEL_GRAPH]
    if len(graphs) != 1:
        raise ValueError(f"{path}: not an ONNX model (no graph)")
    initializers: dict[str, torch.Tensor] = {}
    nodes: list[tuple[str, str, list[str]]] = []
    for number, value in _fields(graphs[0]):
        if number == GRAPH_INITIALIZER:
            name, tensor = _tensor(value)
            if tensor is not None:
                initializers[name] = tensor
        elif number == GRAPH_NODE:
            op_type, name, inputs = "", "", []
            for field, item in _fields(value):
                if field == NODE_OP_TYPE:
                    op_type = bytes(item).decode("utf-8")
                elif field == NODE_NAME:
                    name = bytes(item).decode("utf-8")
                elif field == NODE_INPUT:
                    inputs.append(bytes(item).decode("utf-8"))
            nodes.append((op_type, name, inputs))
    return initializers, nodes


def folder_task(folder: Path) -> tuple[str, dict]:
    """The task of a model folder and its config.json."""
    hf = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    architecture = (hf.get("architectures") or ["?"])[0]
    if architecture not in TASKS:
        raise ValueError(f"{folder}/config.json: architecture {architecture} is neither of {', '.join(TASKS)}")
    return TASKS[architecture], hf


def task_model(task: str, hf: dict) -> nn.Module:
    """The network whose state dict the weights file holds for a task (what the ONNX graph computes)."""
    cfg = BertConfig.from_hf(hf)
    if task == "embed":
        return BertModel(cfg, add_pooler=False)
    return BertForSequenceClassification(cfg, num_labels=len(hf["id2label"]))


def onnx_state_dict(initializers: dict[str, torch.Tensor], nodes: list[tuple[str, str, list[str]]],
                    task: str) -> dict[str, torch.Tensor]:
    state: dict[str, torch.Tensor] = {}
    anonymous = {name for name in initializers if name.startswith("onnx::")}
    for op_type, node_name, inputs in nodes:
        if op_type != "MatMul" or len(inputs) != 2 or inputs[1] not in anonymous:
            continue
        module, _, op = node_name.strip("/").rpartition("/")
        if op != "MatMul" or not module:
            raise ValueError(f"MatMul node {node_name!r} does not name its module; cannot place {inputs[1]}")
        # MatMul computes x @ B; nn.Linear computes x @ weight.T.
        state[module.replace("/", ".") + ".weight"] = initializers[inputs[1]].t().contiguous()
        anonymous.discard(inputs[1])
    if anonymous:
        raise ValueError(f"float initializers that feed no Linear: {', '.join(sorted(anonymous))}")
    state.update({name: tensor for name, tensor in initializers.items() if not name.startswith("onnx::")})
    # The embedding export wraps the encoder (BertEncoderExport.bert); its file holds BertModel alone.
    return encoder_state(state) if task == "embed" else state


def export_torch(folder: Path) -> Path:
    started = time.time()
    task, hf = folder_task(folder)
    initializers, nodes = read_onnx(folder / ONNX_FILE)
    model = task_model(task, hf)
    try:
        model.load_state_dict(onnx_state_dict(initializers, nodes, task), strict=True)
    except RuntimeError as error:
        raise ValueError(f"{folder / ONNX_FILE} does not hold the {task} network of modeling.py: {error}") from error
    out = folder / WEIGHTS_FILE
    # Written beside and renamed, so a server starting meanwhile never reads half a file.
    partial = out.with_name(out.name + ".partial")
    torch.save(model.state_dict(), partial)
    os.replace(partial, out)
    print(f"[export_torch] {task}: {out} ({count_parameters(model) / 1e6:.2f} M parameters, "
          f"{out.stat().st_size / 1e6:.1f} MB) in {time.time() - started:.1f}s", flush=True)
    return out


def stale(folder: Path) -> bool:
    out = folder / WEIGHTS_FILE
    return not out.exists() or out.stat().st_mtime < (folder / ONNX_FILE).stat().st_mtime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", type=Path, nargs="+")
    parser.add_argument("--if-stale", action="store_true",
                        help="skip folders whose weights file is newer than their onnx/model.onnx")
    args = parser.parse_args()
    torch.set_num_threads(1)
    for folder in args.folders:
        if not args.if_stale or stale(folder):
            export_torch(folder)


if __name__ == "__main__":
    main()
