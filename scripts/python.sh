#!/usr/bin/env bash
# Makes sure the Python that trains the sequence model (SEQUENCE_PYTHON, default /usr/bin/python3)
# imports PyTorch, installing Debian's python3-torch (and OpenBLAS, several times faster than the
# reference BLAS it would otherwise use) when it does not. The worker's retrain job, `pnpm
# train:sequence` and the tests that retrain need it; serving the model does not.
set -euo pipefail

python=${SEQUENCE_PYTHON:-/usr/bin/python3}
if "$python" -c 'import torch' >/dev/null 2>&1; then
  exit 0
fi
if [ "$python" != /usr/bin/python3 ] || ! command -v apt-get >/dev/null; then
  echo "python: $python cannot import torch; install PyTorch for it (Debian: apt install python3-torch)" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
echo "python: installing python3-torch and OpenBLAS (Debian packages) for the sequence model's training" >&2
$sudo apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends python3-torch libopenblas0-pthread >&2
"$python" -c 'import torch' >/dev/null
