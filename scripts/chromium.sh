#!/usr/bin/env bash
# Makes sure Debian's chromium, which the browser tests drive (test/support/browser.ts), and a CJK font are
# installed. The machines this runs on (development and CI) are Debian 12 with root; the package
# lists are only fetched when either is missing, so a machine that has both spends nothing here.
# Elsewhere, point CHROMIUM_PATH at a Chromium binary and this script only checks it.
set -euo pipefail

if [ -n "${CHROMIUM_PATH:-}" ]; then
  [ -x "$CHROMIUM_PATH" ] || { echo "chromium: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2; exit 1; }
  exit 0
fi
# A CJK font too: without one Chinese reviews render as empty boxes in the screenshots the tests take.
if ! command -v chromium >/dev/null || [ ! -d /usr/share/fonts/truetype/wqy ]; then
  echo "setup: installing chromium and a CJK font (apt)" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-wqy-zenhei >&2
fi
