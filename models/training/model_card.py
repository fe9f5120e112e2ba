"""Write README.md (model card) of both model folders from the metrics of the last pipeline run.

Reads what the stages left in the scratch folder (metrics-*.json, onnx-check-*.json,
timings.tsv, command.tsv), so the cards always describe the files actually exported.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import common
from tokenization import is_chinese_char
from vocab import load_vocab

SCRATCH = common.SCRATCH_DIR
SET_NAMES = {
    "chinese_sentiment_chnsenticorp": "ChnSentiCorp test (shared part)",
    "chinese_sentiment_online_shopping_10_cats": "online_shopping_10_cats eval split",
    "chinese_sentiment_waimai_10k": "waimai_10k eval split",
    "english_reviews_womens_clothing": "Women's clothing eval split",
}


def load(name: str) -> dict:
    return json.loads((SCRATCH / name).read_text(encoding="utf-8"))


def minutes(seconds: float) -> str:
    return f"{int(seconds) // 60} min {int(seconds) % 60:02d} s"


def data_section() -> str:
    reviews = common.read_all_reviews()
    counts = Counter((r.dataset, r.is_eval) for r in reviews)
    lines = ["| data set | training rows | evaluation rows | labels |", "|---|---|---|---|"]
    for name, label in (("chinese_sentiment_chnsenticorp", "0/1 → negative/positive"),
                        ("chinese_sentiment_online_shopping_10_cats", "0/1 → negative/positive; 10 categories"),
                        ("chinese_sentiment_waimai_10k", "0/1 → negative/positive"),
                        ("english_reviews_womens_clothing", "rating 1-2/3/4-5 → negative/neutral/positive")):
        lines.append(f"| {name} | {counts[(name, False)]:,} | {counts[(name, True)]:,} | {label} |")
    titles = common.product_titles()
    return "\n".join(lines) + (
        f"\n\nProduct titles (pretraining and vocabulary only): {len(titles):,} texts "
        "(amazon_beauty_item_titles titles + distinct online_retail descriptions).\n\n"
        "Split rule (identical in Python and TypeScript): `bucket(key) = int(sha256(key)[0:8], 16) % 100`, "
        "`key = \"split/\" + <data set folder> + \"/\" + <row key>`; a row is evaluation iff bucket < 10. "
        "Row key: the review text (Chinese sets, the CSV field as parsed), the row id (English). "
        "ChnSentiCorp keeps its own files: train+dev for training, test for evaluation. "
        "Because ChnSentiCorp's upstream split leaks and the shopping set shares hotel reviews with it, "
        "every training row whose text equals any evaluation text is dropped as well. "
        "Nothing from the evaluation rows is used for the vocabulary, pretraining or fine-tuning.")


def vocab_section() -> str:
    vocab = load_vocab()
    cjk = sum(1 for t in vocab if len(t) == 1 and is_chinese_char(ord(t)))
    cont = sum(1 for t in vocab if t.startswith("##"))
    return (f"WordPiece, {len(vocab):,} tokens, trained by `models/training/vocab.py` on the training texts: "
            f"`[PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3 [MASK]=4`, {cjk:,} CJK characters (every one seen at least twice, "
            f"one token each), the remaining characters (count ≥ 2, word-initial and `##` forms) and "
            f"frequency-ranked WordPiece merges over the non-CJK words ({cont:,} `##` pieces in all). "
            "Lower-cased, accents stripped (BertNormalizer with `strip_accents: null` follows `lowercase`). "
            "The shared copy is in `models/vocab/`.")


def architecture_section(cfg: dict, parameters: int, head: str) -> str:
    return (f"BERT encoder: hidden {cfg['hidden_size']}, {cfg['num_hidden_layers']} layers, "
            f"{cfg['num_attention_heads']} heads, intermediate {cfg['intermediate_size']} (GELU), "
            f"max positions {cfg['max_position_embeddings']}, vocabulary {cfg['vocab_size']:,}, "
            f"type vocabulary {cfg['type_vocab_size']}. {head} "
            f"Parameters: {parameters:,} ({parameters / 1e6:.2f} M). Parameter names follow Hugging Face "
            "`transformers` (`bert.embeddings.*`, `bert.encoder.layer.N.*`), defined in `models/training/modeling.py`.")


def files_section(folder: Path) -> str:
    lines = ["| file | bytes |", "|---|---|"]
    for p in sorted(folder.rglob("*")):
        # pytorch_model.bin is written from the ONNX file at install (export_torch.py), not committed.
        if p.is_file() and p.name not in ("README.md", "pytorch_model.bin"):
            lines.append(f"| `{p.relative_to(folder)}` | {p.stat().st_size:,} |")
    return "\n".join(lines)


def head_section(folder: Path) -> str:
    """The n-gram heads blended with the network (ngram_head.py), when the folder has them."""
    path = folder / "ngram-head.json"
    if not path.exists():
        return ""
    card = json.loads(path.read_text(encoding="utf-8"))
    rows = "\n".join(
        f"| {head['language']} | {k} | {head['chosen']['networkOnlyValidationMacroF1'][k]:.4f} | {v:.4f} |"
        for head in card["heads"] for k, v in head["chosen"]["validationMacroF1"].items())
    settings = "; ".join(
        f"{h['language']}: {h['buckets']:,} buckets, {h['trainingRows']:,} training texts, L2 {h['chosen']['l2']:g}, class weights "
        f"{h['chosen']['classWeights']}, α {h['alpha']}, neutral offset {h['neutralOffset']}" for h in card["heads"])
    trained = "; ".join(f"{h['language']}: {', '.join(h['labels'])}" for h in card["heads"])
    return f"""## N-gram heads

Served with the network: per language, a logistic regression over hashed TF-IDF n-grams ({card['features']}),
trained by `ngram_head.py` on that language's fine-tuning rows, in `{card['file']}` (idf and weights in half
precision). Routing: {card['routing']}. `createSentimentClassifier` returns the softmax of
α · log_softmax(network) + (1 − α) · log_softmax(head) over the labels the head's rows had ({trained}; a label a
head never saw keeps the network's log-probability), with the head's neutral offset added to neutral. Each head's
L2 strength, class weights, α and offset were chosen together on its language's validation rows ({settings}):

| head | validation rows of | network alone, macro-F1 | with the head |
|---|---|---|---|
{rows}
"""


def onnx_section(check: dict, kind: str) -> str:
    fp, q = check["model.onnx"], check["model_quantized.onnx"]
    agree = (f"int8 vs fp32 on {check['batch']} reference texts: max |Δ| of `{check['output']}` "
             f"{check['int8VsFp32']['maxAbsDiff']:.4g}, min cosine {check['int8VsFp32']['minCosine']:.6f}")
    if kind == "embed":
        agree += (f"; after mean pooling + L2 normalisation: max |Δ| {check['int8VsFp32Pooled']['maxAbsDiff']:.4g}, "
                  f"min cosine {check['int8VsFp32Pooled']['minCosine']:.6f}")
    else:
        agree += f"; predicted label agreement {check['int8LabelAgreement']:.0%}"
    sample = check["evalSample"]
    if kind == "embed":
        agree += (f". On {sample['texts']:,} evaluation reviews, cosine between the fp32 and int8 sentence vectors: "
                  f"mean {sample['meanCosine']:.5f}, 1st percentile {sample['p01Cosine']:.5f}, min {sample['minCosine']:.5f}")
    else:
        agree += (f". On {sample['texts']:,} evaluation reviews (all four sets): label agreement "
                  f"{sample['labelAgreement']:.1%}, accuracy fp32 {sample['accuracyFp32']:.3f} vs int8 "
                  f"{sample['accuracyInt8']:.3f}")
    return (
        f"Verified with {check['runtime']} (`models/training/check-onnx.cjs`): fp32 ONNX vs torch max |Δ| "
        f"{check['fp32VsTorch']['maxAbsDiff']:.3g}; {agree}.\n\n"
        "| file | size | latency batch 1 (one short text) | latency batch "
        f"{check['batch']} × {check['seq']} tokens |\n|---|---|---|---|\n"
        f"| `onnx/model.onnx` (fp32) | {fp['bytes'] / 1e6:.1f} MB | {fp['latencyMsBatch1']} ms | {fp['latencyMsBatch']} ms |\n"
        f"| `onnx/model_quantized.onnx` (int8) | {q['bytes'] / 1e6:.1f} MB | {q['latencyMsBatch1']} ms | {q['latencyMsBatch']} ms |\n\n"
        "Latency: median of repeated runs, onnxruntime-node CPU, 2 intra-op threads, on the 2-core build machine.\n\n"
        "Quantization (`models/training/quantize.py`, plain `onnx`): every MatMul with a 2-D float weight "
        "initializer → DynamicQuantizeLinear (uint8 activations) + MatMulInteger with int8 symmetric "
        "per-column weights + Cast + Mul by activation scale × weight scale; Gather (embeddings), "
        "LayerNorm, Softmax and the 2-D Gemm layers stay float.")


def training_section(timings: dict[str, int], command: dict[str, str], stages: list[str],
                     devices: dict[str, dict]) -> str:
    rows = []
    for s in stages:
        if s not in timings:
            continue
        m = devices.get(s)
        where = ""
        if m:
            where = ("NVIDIA GPU (CUDA)" if m.get("device") == "cuda" else "CPU, 2 threads") + (
                f", torch {m['torch']}" if m.get("torch") else "")
        elif s in ("vocab", "export", "verify", "cards"):
            where = "CPU (build machine)"
        rows.append(f"| {s} | {minutes(timings[s])} | {where} |")
    on_gpu = any(m.get("device") == "cuda" for m in devices.values())
    lines = [f"Training command (from the repository root): `{command.get('command', 'models/training/train.sh')}` "
             f"with `{command.get('env', '')}`."]
    if command.get("export"):
        lines.append(f"Export, verification and this card: `{command['export']}`.")
    if on_gpu:
        lines.append("The training stages ran on the single NVIDIA H100 lent to this task (same scripts, "
                     "`TRAIN_DEVICE=cuda`, larger batches); vocabulary, ONNX export (torch 1.13, opset 14), "
                     "quantization and verification ran on the 2-core CPU build machine. "
                     "`models/training/train.sh` with no settings reproduces the whole pipeline on CPU alone "
                     "(same steps, smaller budgets in tokens, hence weaker numbers).")
    return ("\n\n".join(lines) + "\n\nMeasured wall time of the stages behind this model (a stage includes loading and "
            "tokenizing its data; the training loops alone took the times given above):\n\n"
            "| stage | wall time | where |\n|---|---|---|\n" + "\n".join(rows))


def how_to_load(folder: str, task: str) -> str:
    call = ("pipeline('feature-extraction', '" + folder + "', { dtype: 'q8' });\n"
            "const vectors = await extractor(texts, { pooling: 'mean', normalize: true });") if task == "embed" else (
            "pipeline('text-classification', '" + folder + "', { dtype: 'q8' });\n"
            "const scores = await classifier(texts, { top_k: 3 });")
    return ("```js\nimport { env, pipeline } from '@huggingface/transformers';\n"
            "env.allowRemoteModels = false;\nenv.localModelPath = '<repo>/models/';\n"
            f"const {'extractor' if task == 'embed' else 'classifier'} = await {call}\n```\n"
            "Truncation: the models are trained with `[SEP]` always last. transformers.js 3.8 with "
            "`truncation: true` cuts the final `[SEP]` of texts over 128 tokens; keep it by tokenizing without "
            "truncation and using `ids.slice(0, 127)` + `[SEP]` (what `models/fixtures/tokenizer-parity.json` expects).")


def write_card(folder: Path, task: str) -> None:
    cfg = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    timings = {}
    for line in (SCRATCH / "timings.tsv").read_text().splitlines():
        stage, seconds = line.split("\t")
        timings[stage] = int(seconds)
    command = dict(line.split("\t", 1) for line in (SCRATCH / "command.tsv").read_text().splitlines())
    pre = load("metrics-pretrain.json")
    devices = {"pretrain": pre}
    check = load(f"onnx-check-{folder.name}.json")
    pre_text = (f"Masked-LM pretraining (`pretrain.py`): 15% of tokens selected (80% `[MASK]`, 10% random, 10% kept), "
                f"logits only at the selected positions, AdamW, linear warm-up/decay, {pre['steps']:,} steps = "
                f"{pre['epochs']} passes over {pre['train_tokens']:,} tokens ({pre['train_texts']:,} texts) in "
                f"{minutes(pre['train_seconds'])}. Masked-token accuracy on 2,000 evaluation texts: "
                f"{pre['mlm_accuracy']:.1%} (loss {pre['mlm_loss']:.3f}).")
    if task == "embed":
        emb = load("metrics-embedding.json")
        title = "serendip-embed-zh-en — Chinese/English review and product sentence embeddings"
        summary = (f"Sentence embeddings ({cfg['hidden_size']} dimensions) for Chinese and English e-commerce text "
                   "(reviews, product titles): run `onnx/model*.onnx`, mean-pool `last_hidden_state` over the "
                   "attention mask, L2-normalise. Used by packages/inference `createEmbedder`.")
        head = "Output: `last_hidden_state` [batch, sequence, hidden]; no pooler in the graph (pooling happens in JS)."
        fine = (f"Contrastive fine-tuning (`finetune_embedding.py`): symmetric in-batch InfoNCE, temperature "
                f"{emb['temperature']}, on mean-pooled L2-normalised embeddings, {emb['batch_pairs']} pairs per batch "
                f"mixed from {', '.join(f'{k} {v:.0%}' for k, v in emb['source_weights'].items())}; "
                "in-batch negatives that are true positives are masked. Pairs: shopping = two Chinese reviews with "
                "the same category and sentiment; clothing = two English reviews of the same item; beauty = titles "
                "of products a user bought consecutively (Beauty.txt sequences joined with item_titles.tsv). "
                f"{emb['steps']:,} steps in {minutes(emb['train_seconds'])}.")
        rows = []
        for k, v in emb["fine_tuned"].items():
            b = emb["pretrained_only"][k]
            rows.append(f"| {k} | {v['metric']} | {v['queries']:,} / {v['candidates']:,} | {b['value']:.3f} | {v['value']:.3f} |")
        evaluation = (
            "Held-out pairs built only from evaluation rows (for Beauty: users with bucket < 10 under key "
            "`split/amazon_beauty_s3rec/<user id>`). clothing/beauty recall@10: the query's own partner among "
            "all held-out partners (for beauty, any candidate with the same title counts); shopping precision@10: "
            "share of the 10 nearest held-out reviews with the same category and sentiment.\n\n"
            "| pairs | metric | queries / candidates | pretrained-only encoder | fine-tuned (this model) |\n"
            "|---|---|---|---|---|\n" + "\n".join(rows))
        stages = ["vocab", "pretrain", "embedding", "export", "verify"]
        devices["embedding"] = emb
        parameters = emb["parameters"]
    else:
        sen = load("metrics-sentiment.json")
        title = "serendip-sentiment-zh-en — 3-class review sentiment (Chinese/English)"
        summary = ("Review sentiment `negative` / `neutral` / `positive` for Chinese and English e-commerce reviews: "
                   "`logits` [batch, 3], softmax for scores. Used by packages/inference `createSentimentClassifier`.")
        head = ("Head: BERT pooler (tanh dense on `[CLS]`) → dropout → linear 3 classes, as "
                "`BertForSequenceClassification`; output `logits` [batch, 3].")
        labels = sen["train_labels"]
        fine = (f"Fine-tuning (`finetune_sentiment.py`) of the pretrained encoder on {sen['train_texts']:,} training "
                f"reviews (negative {labels['0']:,}, neutral {labels['1']:,}, positive {labels['2']:,}); Chinese sets "
                "are binary, English ratings give all three classes. Class-balanced cross-entropy (Cui et al. 2019, "
                f"β = 0.9999; weights {sen['class_weights']}), AdamW, linear warm-up/decay, {sen['steps']:,} steps = "
                f"{sen['epochs']} epochs in {minutes(sen['train_seconds'])}.")
        rows = []
        for k, v in sen["eval"].items():
            extra = (f"{v['binary_accuracy']:.3f} ({v['predicted_neutral']:.1%} predicted neutral)"
                     if "binary_accuracy" in v else "— (3 classes)")
            rows.append(f"| {SET_NAMES.get(k, k)} | {v['rows']:,} | {v['accuracy']:.3f} | {v['macro_f1']:.3f} | {extra} |")
        evaluation = (
            "Accuracy and macro-F1 of the 3-way argmax (what the deployed model returns; on the binary Chinese sets a "
            "`neutral` prediction counts as an error and macro-F1 averages negative and positive). "
            "'binary accuracy' compares only the negative and positive logits.\n\n"
            "| evaluation set | rows | accuracy | macro-F1 | binary accuracy |\n|---|---|---|---|---|\n"
            + "\n".join(rows) +
            "\n\nFor scale: published ChnSentiCorp test accuracy is ~95% for BERT-base (110 M parameters, "
            "pretrained on large corpora) and 89-91% for from-scratch BOW/CNN/LSTM baselines (Baidu Senta); "
            "this model has ~4 M parameters and was pretrained only on the few million tokens of review and title "
            "text here.")
        stages = ["vocab", "pretrain", "sentiment", "export", "verify"]
        devices["sentiment"] = sen
        parameters = sen["parameters"]

    card = f"""# {title}

{summary}

Version {cfg['serendip']['version']}, trained {cfg['serendip']['trained']}. Built by `models/training/train.sh`
(see `models/README.md`). Licence of the training data: research/evaluation use inside this project
(see the SOURCE.md files of the data sets); do not redistribute outside it.

## How to load

{how_to_load(folder.name, task)}

## Data and splits

{data_section()}

## Vocabulary

{vocab_section()}

## Architecture

{architecture_section(cfg, parameters, head)}

## Training

{pre_text}

{fine}

{training_section(timings, command, stages, devices)}

{head_section(folder)}
## Evaluation

{evaluation}

## ONNX files

{onnx_section(check, task)}

## Files

{files_section(folder)}

## Limitations

Small model, short training on a small corpus: far below large pretrained encoders, and only as good as this data's
domains (Chinese shopping/hotel/food-delivery reviews, English clothing reviews, beauty and gift product
titles). Text beyond 128 tokens is cut. Neutral is learned from English star ratings only.
"""
    (folder / "README.md").write_text(card, encoding="utf-8")
    print(f"[cards] wrote {folder / 'README.md'}", flush=True)


def main() -> None:
    write_card(common.MODELS_DIR / "serendip-embed-zh-en", "embed")
    write_card(common.MODELS_DIR / "serendip-sentiment-zh-en", "sentiment")


if __name__ == "__main__":
    main()
