#!/usr/bin/env bash
# Makes sure the Python that trains the sequence model (SEQUENCE_PYTHON, default /usr/bin/python3)
# imports PyTorch, installing Debian's python3-torch (and OpenBLAS, several times faster than the
# reference BLAS it would otherwise use) when it does not. The worker's retrain job, `pnpm
# train:sequence`, the torch inference backend (INFERENCE_BACKEND=torch) and the tests of both
# need it; serving on the default ONNX backend does not.
#
# Then writes each committed model's pytorch_model.bin (the torch backend's weights) from its
# onnx/model.onnx where it is missing or older: the files are generated rather than committed,
# since they hold nothing the ONNX files do not (models/training/export_torch.py).
set -euo pipefail
cd "$(dirname "$0")/.."

python=${SEQUENCE_PYTHON:-/usr/bin/python3}
if ! "$python" -c 'import torch' >/dev/null 2>&1; then
  if [ "$python" != /usr/bin/python3 ] || ! command -v apt-get >/dev/null; then
    echo "python: $python cannot import torch; install PyTorch for it (Debian: apt install python3-torch)" >&2
    exit 1
  fi
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "python: installing python3-torch and OpenBLAS (Debian packages) for the sequence model's training and the torch inference backend" >&2
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends python3-torch libopenblas0-pthread >&2
  "$python" -c 'import torch' >/dev/null
fi

PYTHONDONTWRITEBYTECODE=1 "$python" models/training/export_torch.py --if-stale models/serendip-embed-zh-en models/serendip-sentiment-zh-en >&2
