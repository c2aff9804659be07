#!/usr/bin/env bash
# Save-to-reload latency of two commits, alternated in one sitting (BENCHMARKS.md).
#
#   bench/ab-latency.sh BASE_COMMIT "VAULT EDITS MODE" ...
#
# Builds BASE_COMMIT in a worktree under $AB_DIR (default /tmp/coffeechat-ab), with the
# working tree's reload_latency bench copied in so both take the same modes, then runs
# `cargo bench --bench reload_latency -- VAULT EDITS MODE` for each spec: base, this
# tree, base, this tree. Prints the bench's summary line of each run.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: bench/ab-latency.sh BASE_COMMIT "VAULT EDITS MODE" ...}
shift
dir=${AB_DIR:-/tmp/coffeechat-ab}
[ -d "$dir/tree" ] || git worktree add --detach "$dir/tree" "$base" >/dev/null
git -C "$dir/tree" checkout --quiet --force --detach "$base"
cp benches/reload_latency.rs "$dir/tree/benches/reload_latency.rs"
for spec in "$@"; do
  read -r vault edits mode <<<"$spec"
  for round in 1 2; do
    (cd "$dir/tree" && CARGO_TARGET_DIR=$dir/target cargo bench --quiet --bench reload_latency -- "$vault" "$edits" "$mode" 2>/dev/null | tail -1 | sed "s/^/base  r$round: /")
    cargo bench --quiet --bench reload_latency -- "$vault" "$edits" "$mode" 2>/dev/null | tail -1 | sed "s/^/this  r$round: /"
  done
done
