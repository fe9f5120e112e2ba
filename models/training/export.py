"""Write a model folder in the inference-contract format from a training checkpoint.

    export.py --task embed     --checkpoint ckpt.pt --out models/serendip-embed-zh-en
    export.py --task sentiment --checkpoint ckpt.pt --out models/serendip-sentiment-zh-en

Produces config.json, the tokenizer files, onnx/model.onnx (fp32, opset 14, dynamic batch and
sequence axes) and onnx/model_quantized.onnx (own dynamic int8 quantization, see quantize.py), and
a reference file in the scratch folder with torch outputs for check-onnx.cjs to compare against.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time
from pathlib import Path

import torch

import common
from modeling import (BertConfig, BertEncoderExport, BertForSequenceClassification, BertModel,
                      encoder_state)
from quantize import quantize_model
from tokenization import WordPieceTokenizer
from vocab import load_vocab, write_tokenizer_files

OPSET = 14
EVAL_SAMPLE = 1000
REFERENCE_TEXTS = [
    "这件衣服质量很好，穿着很舒服，推荐购买！",
    "物流太慢了，等了一个星期才到，差评。",
    "This dress is absolutely gorgeous and fits perfectly.",
    "The fabric felt cheap; I returned it the next day.",
    "酒店位置不错，但是房间有点小，早餐一般。",
    "OPI Nail Lacquer, Simmer and Shimmer, 0.5-Fluid Ounce",
    "It's okay, nothing special, the color is a bit different from the picture.",
    "外卖送到的时候已经凉了，味道还行",
]


def hf_config(cfg: BertConfig, task: str, version: str, trained: str) -> dict:
    out = {
        "architectures": ["BertModel" if task == "embed" else "BertForSequenceClassification"],
        "model_type": "bert",
        "vocab_size": cfg.vocab_size,
        "hidden_size": cfg.hidden_size,
        "num_hidden_layers": cfg.num_hidden_layers,
        "num_attention_heads": cfg.num_attention_heads,
        "intermediate_size": cfg.intermediate_size,
        "hidden_act": "gelu",
        "hidden_dropout_prob": cfg.hidden_dropout_prob,
        "attention_probs_dropout_prob": cfg.attention_probs_dropout_prob,
        "max_position_embeddings": cfg.max_position_embeddings,
        "type_vocab_size": cfg.type_vocab_size,
        "initializer_range": cfg.initializer_range,
        "layer_norm_eps": cfg.layer_norm_eps,
        "pad_token_id": cfg.pad_token_id,
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    }
    if task == "sentiment":
        out["id2label"] = {str(i): name for i, name in enumerate(common.LABELS)}
        out["label2id"] = {name: i for i, name in enumerate(common.LABELS)}
        out["problem_type"] = "single_label_classification"
    out["serendip"] = {
        "version": version,
        "trained": trained,
        "pooling": "mean",
    }
    return out


def build_module(task: str, checkpoint: dict) -> tuple[torch.nn.Module, BertConfig, str]:
    cfg = BertConfig(**checkpoint["config"])
    if task == "embed":
        bert = BertModel(cfg, add_pooler=False)
        bert.load_state_dict({k: v for k, v in encoder_state(checkpoint["state_dict"]).items()
                              if not k.startswith("pooler.")})
        return BertEncoderExport(bert), cfg, "last_hidden_state"
    model = BertForSequenceClassification(cfg, num_labels=len(common.LABELS))
    model.load_state_dict(checkpoint["state_dict"])
    return model, cfg, "logits"


def export(task: str, checkpoint_path: Path, out: Path, version: str) -> None:
    started = time.time()
    checkpoint = torch.load(checkpoint_path, map_location="cpu")
    module, cfg, output_name = build_module(task, checkpoint)
    module.eval()
    (out / "onnx").mkdir(parents=True, exist_ok=True)
    write_tokenizer_files(out, load_vocab())
    # vocab.txt is only needed by Python BertTokenizer users; tokenizer.json carries the same vocab.
    (out / "vocab.txt").unlink()
    # When training finished, not when this export ran (checkpoints from before the metrics kept
    # the time fall back to the file's modification time).
    trained = checkpoint.get("metrics", {}).get("finished") or dt.datetime.fromtimestamp(
        checkpoint_path.stat().st_mtime, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    (out / "config.json").write_text(json.dumps(hf_config(cfg, task, version, trained), indent=2,
                                                ensure_ascii=False) + "\n", encoding="utf-8")

    tok = WordPieceTokenizer(load_vocab())
    encoded = [tok.encode(t, common.MAX_LENGTH) for t in REFERENCE_TEXTS]
    width = max(len(e) for e in encoded)
    ids = torch.tensor([e + [0] * (width - len(e)) for e in encoded], dtype=torch.long)
    mask = (ids != 0).long()
    types = torch.zeros_like(ids)
    fp32 = out / "onnx" / "model.onnx"
    axes = {"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"},
            "token_type_ids": {0: "batch", 1: "sequence"}}
    axes[output_name] = {0: "batch", 1: "sequence"} if task == "embed" else {0: "batch"}
    with torch.no_grad():
        torch.onnx.export(module, (ids, mask, types), str(fp32), opset_version=OPSET,
                          input_names=["input_ids", "attention_mask", "token_type_ids"],
                          output_names=[output_name], dynamic_axes=axes, do_constant_folding=True)
    # torch.onnx.export leaves the module in training mode; the reference outputs need eval mode.
    module.eval()
    with torch.no_grad():
        reference = module(ids, mask, types)
    n_quantized = quantize_model(fp32, out / "onnx" / "model_quantized.onnx")
    # A larger, labelled sample of evaluation texts for the fp32-vs-int8 comparison in Node.
    sample = random.Random(5).sample([r for r in common.read_all_reviews() if r.is_eval], EVAL_SAMPLE)
    ref_path = common.SCRATCH_DIR / f"onnx-reference-{out.name}.json"
    ref_path.parent.mkdir(parents=True, exist_ok=True)
    ref_path.write_text(json.dumps({
        "folder": str(out.resolve()), "output": output_name, "texts": REFERENCE_TEXTS,
        "input_ids": ids.tolist(), "attention_mask": mask.tolist(),
        "reference": reference.flatten().tolist(), "reference_dims": list(reference.shape),
        "eval_input_ids": [tok.encode(r.text, common.MAX_LENGTH) for r in sample],
        "eval_labels": [r.label for r in sample],
    }), encoding="utf-8")
    sizes = {p.name: p.stat().st_size for p in (out / "onnx").iterdir()}
    print(f"[export] {task}: {out} ({n_quantized} MatMuls quantized; "
          + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in sorted(sizes.items()))
          + f") in {time.time() - started:.1f}s; reference {ref_path}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--task", choices=("embed", "sentiment"), required=True)
    parser.add_argument("--checkpoint", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--version", default="1.0.0")
    args = parser.parse_args()
    torch.set_num_threads(2)
    export(args.task, args.checkpoint, args.out, args.version)


if __name__ == "__main__":
    main()
