#!/usr/bin/env bash
# Save-to-reload of `coffeechat watch` (its "rebuilt in" line) and the CPU time of each
# save, on a copy of VAULT (BENCHMARKS.md, session 21).
#
#   bench/save-cpu.sh VAULT body|front|log|new|delete|rename SAVES [BINARY] [cpu|perf]
#
# One warm-up save first; `perf` records a profile of the saves to /tmp/perf.MODE.data.
# Works on a copy in /dev/shm: on this VM's disk, file creation dominates (BENCHMARKS.md).
set -e
vault=$1; mode=$2; n=$3; bin=${4:-$(cd "$(dirname "$0")/.." && pwd)/target/release/coffeechat}; what=${5:-perf}
dir=$(mktemp -d -p /dev/shm)
cp -r "$vault" "$dir/v"
export XDG_CACHE_HOME=$dir/cache
"$bin" build "$dir/v" -o "$dir/o" --today 2026-11-23 >/dev/null 2>&1
"$bin" watch "$dir/v" -o "$dir/o" --today 2026-11-23 >"$dir/watch.out" 2>&1 &
pid=$!
waitfor() { until [ "$(grep -c "$1" "$dir/watch.out")" -ge "$2" ]; do sleep 0.2; done; }
waitfor "watching" 1
mapfile -t contacts < <(ls "$dir"/v/contacts/*.md | sort)
if [ "$mode" = delete ]; then
  # Only contacts that no front matter names (body links just warn): deleting one a chat
  # is `with` is an error, and nothing is rebuilt.
  mapfile -t contacts < <(for c in "${contacts[@]}"; do
    name=$(sed -n 's/^name: //p' "$c")
    grep -rhF "$name" "$dir/v" | grep -qvF -e "name: $name" -e "Talked about" || echo "$c"; done)
fi
save() {
  local c=${contacts[$(($1*37 % ${#contacts[@]}))]}
  case $mode in
    body) echo "more text $1" >> "$c";;
    log) sed -i "s/^log:\$/log:\n  - {date: 2026-11-2$(($1 % 10)), type: reply, note: Logged $1}/" "$c";;
    new) printf -- '---\nname: New Person %s\ncompany: "[[Company 3]]"\nstatus: prospect\n---\nMet at [[Company 3]].\n' "$1" > "$(dirname "$c")/new-person-$1.md";;
    delete) rm "$c";;
    rename) mv "$c" "${c%.md}-r.md";;
    front) if (( $1 % 2 )); then sed -i "s/^status: .*/status: dormant/" "$c"; else sed -i "s/^status: .*/status: met/" "$c"; fi;;
  esac
}
save 0; waitfor "rebuilt" 1
tick=$(getconf CLK_TCK)
cpu() { awk '{print $14+$15}' /proc/$pid/stat; }
if [ "$what" = perf ]; then perf record -F 2000 --call-graph dwarf,32000 -o /tmp/perf.$mode.data -p $pid 2>/dev/null & ppid=$!; sleep 1; fi
res=()
for i in $(seq $n); do
  a=$(cpu); save $i; waitfor "rebuilt" $((i+1)); b=$(cpu)
  res+=($(( (b-a)*1000/tick )))
  sleep 0.3
done
if [ "$what" = perf ]; then kill -INT $ppid; wait $ppid || true; fi
kill -INT $pid; wait $pid || true
grep "rebuilt in" "$dir/watch.out" | sed 's/.*rebuilt in \([0-9]*\) ms.*/\1/' | tr '\n' ' '; echo "(wall ms)"
printf '%s\n' "${res[@]}" | sort -n | tr '\n' ' '; echo; printf '%s\n' "${res[@]}" | sort -n | awk '{a[NR]=$1} END{print "median cpu ms:", a[int((NR+1)/2)]}'
rm -rf "$dir"
