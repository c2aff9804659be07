#!/usr/bin/env bash
# Per-stage timings of `coffeechat watch` over many saves of one kind (BENCHMARKS.md).
#
#   bench/watch-timings.sh VAULT [SAVES] [status|log] [BINARY]
#
# Copies VAULT, builds it, runs `watch` with COFFEECHAT_TIMINGS=1 and saves one contact at
# a time, 0.7 s apart: `status` toggles the first contact's status, `log` logs a new
# touchpoint in a different contact each time. Prints each stage's median, and the
# median of the "rebuilt in" lines. Needs python3.
set -euo pipefail
vault=${1:?usage: bench/watch-timings.sh VAULT [SAVES] [status|log] [BINARY]}
saves=${2:-20}
mode=${3:-status}
bin=${4:-$(cd "$(dirname "$0")/.." && pwd)/target/release/coffeechat}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp -r "$vault" "$dir/v"
export XDG_CACHE_HOME=$dir/cache
"$bin" build "$dir/v" -o "$dir/o" --today 2026-11-23 >/dev/null 2>&1
COFFEECHAT_TIMINGS=1 "$bin" watch "$dir/v" -o "$dir/o" --today 2026-11-23 >"$dir/watch.out" 2>&1 &
pid=$!
sleep 3
mapfile -t contacts < <(ls "$dir"/v/contacts/*.md | sort)
for i in $(seq "$saves"); do
  case $mode in
    status)
      c=${contacts[0]}
      if ((i % 2)); then status=keep-in-touch; else status=dormant; fi
      sed -i "s/^status: .*/status: $status/" "$c" ;;
    log)
      c=${contacts[$((i * 7919 % ${#contacts[@]}))]}
      sed -i "0,/^log:/s//log:\n  - {date: 2026-11-20, type: note, note: Logged in edit $i}/" "$c" ;;
    *) echo "the mode is status or log" >&2; exit 2 ;;
  esac
  sleep 0.7
done
kill -INT "$pid"
wait "$pid" || true
python3 - "$dir/watch.out" <<'PY'
import re, statistics, sys
stages, started = {}, False
for line in open(sys.argv[1]):
    # The first build's stages end with its "build" line; the saves' come after.
    if line.startswith("timing: build"):
        started = True
        continue
    m = re.match(r"timing: (\w+)\s+([\d.]+) ms", line) or re.search(r"(rebuilt) in (\d+) ms", line)
    if m and started:
        stages.setdefault(m.group(1), []).append(float(m.group(2)))
for stage, ms in stages.items():
    print(f"{stage:10} median {statistics.median(ms):6.1f} ms over {len(ms)}")
PY
