#!/usr/bin/env bash
# Regenerates docs/screenshots/ (shown in the README) from the example vault as of the
# day it was written for. Needs chromium, poppler-utils and the npm packages here.
set -euo pipefail
cd "$(dirname "$0")/../.."
site="$(mktemp -d)/site"
cargo run --release -- build example-vault -o "$site" --today 2026-11-23
[ -d tests/browser/node_modules ] || npm ci --prefix tests/browser --no-audit --no-fund
rm -f docs/screenshots/*.png
node tests/browser/screenshots.mjs "$site" docs/screenshots
rm -rf "$(dirname "$site")"
