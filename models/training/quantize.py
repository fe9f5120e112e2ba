"""Dynamic int8 quantization of an ONNX graph, written against the plain `onnx` package.

Every MatMul whose B input is a 2-D float initializer (all Linear layers on 3-D activations)
becomes

    A --DynamicQuantizeLinear--> A_q (uint8), A_scale, A_zero
    MatMulInteger(A_q, W_q int8 [K,N], A_zero) -> int32 -> Cast(float) -> Mul(A_scale * W_scale[N])

with W quantized symmetrically per output column (zero point 0, so no b_zero_point input).
Gather (embeddings), LayerNorm, Softmax, Gemm (the 2-D pooler/classifier) stay float: they are a
small share of the compute and the embedding table is read, not multiplied.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

# 127 rather than 128 keeps the grid symmetric so -W quantizes to exactly -W_q.
INT8_MAX = 127.0


def quantize_weight(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scale = np.abs(w).max(axis=0) / INT8_MAX
    scale = np.where(scale == 0, 1.0, scale).astype(np.float32)
    q = np.clip(np.rint(w / scale), -INT8_MAX, INT8_MAX).astype(np.int8)
    return q, scale


def quantize_model(src: Path, dst: Path) -> int:
    model = onnx.load(str(src))
    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    new_nodes: list[onnx.NodeProto] = []
    dropped_inits: set[str] = set()
    quantized_inputs: dict[str, tuple[str, str, str]] = {}
    count = 0
    for node in graph.node:
        w_init = inits.get(node.input[1]) if node.op_type == "MatMul" and len(node.input) == 2 else None
        if w_init is None or len(w_init.dims) != 2 or w_init.data_type != TensorProto.FLOAT:
            new_nodes.append(node)
            continue
        count += 1
        a_name, w_name, y_name = node.input[0], node.input[1], node.output[0]
        base = (node.name or y_name).replace("/", "_").strip("_")
        # One DynamicQuantizeLinear per activation: Q, K and V share their input.
        if a_name not in quantized_inputs:
            names = (f"{a_name}_q", f"{a_name}_scale", f"{a_name}_zero")
            new_nodes.append(helper.make_node("DynamicQuantizeLinear", [a_name], list(names),
                                              name=f"{base}_dql"))
            quantized_inputs[a_name] = names
        a_q, a_scale, a_zero = quantized_inputs[a_name]
        w = numpy_helper.to_array(w_init)
        w_q, w_scale = quantize_weight(w)
        graph.initializer.append(numpy_helper.from_array(w_q, f"{w_name}_int8"))
        graph.initializer.append(numpy_helper.from_array(w_scale, f"{w_name}_scale"))
        dropped_inits.add(w_name)
        new_nodes.append(helper.make_node("MatMulInteger", [a_q, f"{w_name}_int8", a_zero],
                                          [f"{y_name}_int32"], name=f"{base}_matmulinteger"))
        new_nodes.append(helper.make_node("Cast", [f"{y_name}_int32"], [f"{y_name}_float"],
                                          to=TensorProto.FLOAT, name=f"{base}_cast"))
        new_nodes.append(helper.make_node("Mul", [a_scale, f"{w_name}_scale"], [f"{y_name}_scale"],
                                          name=f"{base}_scale_mul"))
        new_nodes.append(helper.make_node("Mul", [f"{y_name}_float", f"{y_name}_scale"], [y_name],
                                          name=f"{base}_output_mul"))
    del graph.node[:]
    graph.node.extend(new_nodes)
    # A weight can only be dropped if no float consumer is left (e.g. a tied matrix).
    still_used = {i for n in graph.node for i in n.input}
    kept = [t for t in graph.initializer if t.name not in dropped_inits or t.name in still_used]
    del graph.initializer[:]
    graph.initializer.extend(kept)
    onnx.checker.check_model(model)
    onnx.save(model, str(dst))
    return count
