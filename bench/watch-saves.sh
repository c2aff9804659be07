#!/usr/bin/env bash
# Times body saves under `watch`, as its "rebuilt in N ms" lines say (BENCHMARKS.md).
#
#   bench/watch-saves.sh COFFEECHAT VAULT OUT SAVES
#
# Starts COFFEECHAT watch on VAULT (which it edits: use a copy) into OUT, waits for the
# first build, appends a line to the first contact's body SAVES times, 1.5 s apart, then
# stops it and prints each rebuild's time.
set -euo pipefail
bin=${1:?usage: bench/watch-saves.sh COFFEECHAT VAULT OUT SAVES} vault=$2 out=$3 saves=$4
rm -rf "$out"
log=$(mktemp)
XDG_CACHE_HOME=$(mktemp -d) "$bin" watch "$vault" -o "$out" --today 2026-11-23 2>"$log" &
pid=$!
until [ -e "$out/index.html" ]; do sleep 1; done
sleep 3
note=$(ls "$vault"/contacts/*.md | head -1)
for i in $(seq "$saves"); do
  echo "Save $i of the body." >>"$note"
  sleep 1.5
done
kill -INT "$pid"
wait "$pid" || true
grep -o "rebuilt in [0-9]* ms" "$log"
rm -f "$log"
