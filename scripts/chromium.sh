#!/usr/bin/env bash
# Makes sure Debian's chromium, which the browser tests drive (test/support/browser.ts), is
# installed. The machines this runs on (development and CI) are Debian 12 with root; the package
# lists are only fetched when chromium is missing, so a machine that has it spends nothing here.
# Elsewhere, point CHROMIUM_PATH at a Chromium binary and this script only checks it.
set -euo pipefail

if [ -n "${CHROMIUM_PATH:-}" ]; then
  [ -x "$CHROMIUM_PATH" ] || { echo "chromium: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2; exit 1; }
  exit 0
fi
if ! command -v chromium >/dev/null; then
  echo "setup: installing chromium (apt)" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >&2
fi
