#!/usr/bin/env bash
# Benchmarks coffeechat against Hugo on the same generated vaults.
#
#   bench/run.sh [SIZES…]        default: 1000 10000
#
# Needs hyperfine, hugo and GNU time (apt-get install hyperfine hugo time).
# Writes its working files under $BENCH_DIR (default /tmp/coffeechat-bench), the build
# records included (XDG_CACHE_HOME), and prints markdown tables of medians;
# BENCHMARKS.md records the figures.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("${@:-1000}")
[ $# -eq 0 ] && sizes=(1000 10000)
dir=${BENCH_DIR:-/tmp/coffeechat-bench}
today=2026-11-23
runs=${RUNS:-10}
export XDG_CACHE_HOME=$dir/cache

for tool in hyperfine hugo /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install hyperfine hugo time" >&2; exit 1; }
done

cargo build --release --quiet --bin coffeechat --example gen_vault
cc=$PWD/target/release/coffeechat
gen=$PWD/target/release/examples/gen_vault
mkdir -p "$dir"

for n in "${sizes[@]}"; do
  vault=$dir/vault-$n
  site=$dir/hugo-$n
  [ -d "$vault" ] || "$gen" "$n" "$vault" --hugo "$site"
  echo "## $n notes ($(find "$vault" -name '*.md' | wc -l) files, $(du -sh "$vault" | cut -f1))"
  # Warm both output folders so "existing output" runs compare like with like.
  "$cc" build "$vault" -o "$dir/out-$n" --today "$today" 2>/dev/null
  (cd "$site" && hugo --quiet -d "$dir/hugo-out-$n" >/dev/null)
  # One contact gets a line more before each run of the "one note edited" build, and
  # the records are deleted before each run of the "no record" one.
  edited=$(find "$vault/contacts" -name '*.md' | sort | sed -n 1p)
  hyperfine --style basic --runs "$runs" --warmup 1 --export-markdown "$dir/result-$n-existing.md" \
    --export-json "$dir/result-$n-existing.json" \
    --prepare true -n "coffeechat build, existing output" "$cc build $vault -o $dir/out-$n --today $today 2>/dev/null" \
    --prepare "echo 'One more line.' >> $edited" -n "coffeechat build, existing output, one note edited" "$cc build $vault -o $dir/out-$n --today $today 2>/dev/null" \
    --prepare "rm -rf $XDG_CACHE_HOME/coffeechat" -n "coffeechat build, existing output, no record" "$cc build $vault -o $dir/out-$n --today $today 2>/dev/null" \
    --prepare true -n "hugo, existing output" "cd $site && hugo --quiet -d $dir/hugo-out-$n" \
    --prepare true -n "coffeechat check" "$cc check $vault --today $today --format json >/dev/null"
  # hyperfine takes one --prepare per command.
  hyperfine --style basic --runs "$runs" --export-markdown "$dir/result-$n-empty.md" \
    --export-json "$dir/result-$n-empty.json" \
    --prepare "rm -rf $dir/empty-$n" -n "coffeechat build, empty output" "$cc build $vault -o $dir/empty-$n --today $today 2>/dev/null" \
    --prepare "rm -rf $dir/hugo-empty-$n" -n "hugo, empty output" "cd $site && hugo --quiet -d $dir/hugo-empty-$n" \
    --prepare "rm -rf $dir/copy-$n" -n "cp -r of the vault" "cp -r $vault $dir/copy-$n"
  cat "$dir/result-$n-existing.md" "$dir/result-$n-empty.md"
  echo
  python3 -c '
import json, sys
for path in sys.argv[1:]:
    for r in json.load(open(path))["results"]:
        print("median %9.1f ms  %s" % (r["median"] * 1000, r["command"]))
' "$dir/result-$n-existing.json" "$dir/result-$n-empty.json"
  echo
  rm -rf "$dir/empty-$n"
  /usr/bin/time -v -o "$dir/rss-cc" "$cc" build "$vault" -o "$dir/empty-$n" --today "$today" >/dev/null 2>&1
  (cd "$site" && /usr/bin/time -v -o "$dir/rss-hugo" hugo --quiet -d "$dir/hugo-rss-$n" >/dev/null 2>&1)
  /usr/bin/time -v -o "$dir/rss-cc-again" "$cc" build "$vault" -o "$dir/empty-$n" --today "$today" >/dev/null 2>&1
  cc_rss=$(awk '/Maximum resident/ {print $6}' "$dir/rss-cc")
  cc_again_rss=$(awk '/Maximum resident/ {print $6}' "$dir/rss-cc-again")
  hugo_rss=$(awk '/Maximum resident/ {print $6}' "$dir/rss-hugo")
  echo "peak RSS: coffeechat $((cc_rss / 1024)) MB (empty output), $((cc_again_rss / 1024)) MB (again, from the record); hugo $((hugo_rss / 1024)) MB"
  echo
done
