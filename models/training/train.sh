#!/usr/bin/env bash
# Whole model pipeline: vocabulary -> MLM pretraining -> sentiment and embedding fine-tuning ->
# ONNX export + int8 quantization (+ the torch backend's pytorch_model.bin, read back from the
# fp32 ONNX; gitignored) -> Node/onnxruntime verification -> model cards.
#
#   models/training/train.sh                       # everything (about 50 minutes on 2 CPU cores)
#   models/training/train.sh --from export         # re-run export, verify, cards (checkpoints kept)
#   models/training/train.sh --from pretrain --until embedding   # only the training stages
#
# Environment:
#   PRETRAIN_MINUTES / SENTIMENT_MINUTES / EMBED_MINUTES  training budgets (20 / 12 / 10)
#   TRAIN_DEVICE (cpu | cuda), TRAIN_THREADS (2), PYTHON (/usr/bin/python3)
#   PRETRAIN_ARGS / SENTIMENT_ARGS / EMBED_ARGS           extra flags (e.g. larger GPU batches)
#   SERENDIP_DATA_DIR (default <repo>/../shared/data), SERENDIP_SCRATCH_DIR (default /tmp/serendip-train):
#   checkpoints, token caches, metrics and timings go there, never into the repo.
set -euo pipefail

main() {
  local here repo
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  repo="$(cd "$here/../.." && pwd)"
  # Debian's python3-torch/python3-onnx are only visible to the system interpreter.
  local py="${PYTHON:-/usr/bin/python3}"
  export SERENDIP_SCRATCH_DIR="${SERENDIP_SCRATCH_DIR:-/tmp/serendip-train}"
  export PYTHONUNBUFFERED=1
  # Keep models/training free of __pycache__ (only sources and artefacts are committed).
  export PYTHONDONTWRITEBYTECODE=1
  local scratch="$SERENDIP_SCRATCH_DIR"
  local pretrain_min="${PRETRAIN_MINUTES:-20}" sentiment_min="${SENTIMENT_MINUTES:-12}" embed_min="${EMBED_MINUTES:-10}"
  local device="${TRAIN_DEVICE:-cpu}" threads="${TRAIN_THREADS:-2}"
  local version="${MODEL_VERSION:-1.0.0}"
  local stages=(vocab pretrain sentiment embedding export head verify cards)
  local from="vocab" until="cards"
  while (( $# )); do
    case "$1" in
      --from) from="${2:?--from needs a stage}"; shift 2 ;;
      --until) until="${2:?--until needs a stage}"; shift 2 ;;
      *) echo "usage: train.sh [--from STAGE] [--until STAGE]; stages: ${stages[*]}" >&2; exit 2 ;;
    esac
  done
  local known=" ${stages[*]} "
  for stage in "$from" "$until"; do
    [[ "$known" == *" $stage "* ]] || { echo "unknown stage '$stage' (stages: ${stages[*]})" >&2; exit 2; }
  done

  mkdir -p "$scratch"
  local timings="$scratch/timings.tsv"
  [[ "$from" == "vocab" ]] && : > "$timings"
  if [[ "$from" == "vocab" || "$from" == "pretrain" ]]; then
    printf 'command\t%s\nenv\t%s\n' "models/training/train.sh${from:+ --from $from} --until $until" \
      "PRETRAIN_MINUTES=$pretrain_min SENTIMENT_MINUTES=$sentiment_min EMBED_MINUTES=$embed_min TRAIN_DEVICE=$device TRAIN_THREADS=$threads PRETRAIN_ARGS='${PRETRAIN_ARGS:-}' SENTIMENT_ARGS='${SENTIMENT_ARGS:-}' EMBED_ARGS='${EMBED_ARGS:-}'" \
      > "$scratch/command.tsv"
  fi
  local common=(--device "$device" --threads "$threads")

  cd "$here"
  local running=0 stage
  for stage in "${stages[@]}"; do
    [[ "$stage" == "$from" ]] && running=1
    (( running )) || continue
    local t0=$SECONDS
    echo "=== stage $stage ($(date -u +%H:%M:%SZ))"
    case "$stage" in
      vocab) "$py" vocab.py --size 10000 ;;
      # shellcheck disable=SC2086  # *_ARGS are flag lists on purpose
      pretrain) "$py" pretrain.py "${common[@]}" --minutes "$pretrain_min" --out "$scratch/pretrain.pt" ${PRETRAIN_ARGS:-} ;;
      # shellcheck disable=SC2086
      sentiment) "$py" finetune_sentiment.py "${common[@]}" --init "$scratch/pretrain.pt" --minutes "$sentiment_min" --out "$scratch/sentiment.pt" ${SENTIMENT_ARGS:-} ;;
      embedding)
        # The bilingual source's CC-CEDICT pairs, cleaned by the code that translates search queries.
        (cd "$repo" && node_modules/.bin/tsx models/training/bilingual-pairs.ts "$scratch/bilingual-pairs.tsv")
        # shellcheck disable=SC2086
        "$py" finetune_embedding.py "${common[@]}" --init "$scratch/pretrain.pt" --minutes "$embed_min" --out "$scratch/embedding.pt" ${EMBED_ARGS:-}
        ;;
      export)
        "$py" export.py --task embed --checkpoint "$scratch/embedding.pt" --out "$repo/models/serendip-embed-zh-en" --version "$version"
        "$py" export.py --task sentiment --checkpoint "$scratch/sentiment.pt" --out "$repo/models/serendip-sentiment-zh-en" --version "$version"
        "$py" export_torch.py "$repo/models/serendip-embed-zh-en" "$repo/models/serendip-sentiment-zh-en"
        ;;
      # The sentiment model's n-gram head and its blend with the network, chosen on validation rows.
      head) "$py" ngram_head.py --model-dir "$repo/models/serendip-sentiment-zh-en" --threads "$threads" ;;
      verify)
        # onnxruntime-node and transformers.js resolve from packages/inference, not from models/.
        (cd "$repo/packages/inference" &&
          for m in serendip-embed-zh-en serendip-sentiment-zh-en; do
            node "$here/check-onnx.cjs" "$scratch/onnx-reference-$m.json" "$scratch/onnx-check-$m.json"
            node "$here/check-tokenizer.cjs" "$m"
          done)
        ;;
      cards) "$py" model_card.py ;;
    esac
    local took=$(( SECONDS - t0 ))
    printf '%s\t%s\n' "$stage" "$took" >> "$timings"
    echo "=== stage $stage done in $(( took / 60 ))m$(( took % 60 ))s"
    [[ "$stage" == "$until" ]] && break
  done
}

main "$@"
