#!/usr/bin/env bash
# Entry point of the README's two commands (`npm start`, `npm test`): installs the pinned pnpm and
# the locked dependencies, makes sure MariaDB and Redis answer and that Python has PyTorch (the
# sequence model's retraining), and for the suite that Debian's chromium is there (the browser
# tests drive it), then runs the platform or the suite.
set -euo pipefail
cd "$(dirname "$0")/.."

# The pinned pnpm is package.json's packageManager field (one place for the version).
PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")
tools="$PWD/.run/tools"
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  if [ ! -x "$tools/node_modules/.bin/pnpm" ] || [ "$("$tools/node_modules/.bin/pnpm" --version)" != "$PNPM_VERSION" ]; then
    echo "setup: installing pnpm $PNPM_VERSION into .run/tools" >&2
    npm install --silent --no-audit --no-fund --prefix "$tools" "pnpm@$PNPM_VERSION" >&2
  fi
  export PATH="$tools/node_modules/.bin:$PATH"
fi

# onnxruntime-node's install script (a CUDA add-on download) is not in pnpm-workspace.yaml's
# onlyBuiltDependencies, so it never runs; the CPU binaries ship inside the package.
pnpm install --frozen-lockfile --prefer-offline --reporter=append-only >&2

bash scripts/services.sh
bash scripts/python.sh

case "${1:-}" in
  start) exec pnpm -s run platform ;;
  test)
    bash scripts/chromium.sh
    exec pnpm -s run test:all
    ;;
  *) echo "usage: scripts/run.sh start|test" >&2; exit 2 ;;
esac
