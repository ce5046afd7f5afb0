#!/usr/bin/env bash
# Where the two cores go in each half of the ingest ratio (../shared/bench/ingest-ratio.sh):
# the bare reference's server and client, then the project's server and load generator, each
# process's CPU per submission while sending, and the machine's idle and stolen time (the
# hypervisor's: a run with steal is slower for reasons outside both). The ratio moves with the
# sum of the two processes' CPU per submission when the cores are saturated.
#
#   C=50 N=10000 bash server/loadgen/cpusplit.sh      (from the repository's root)
set -euo pipefail
cd "$(dirname "$0")/../.."
GO=${GO:-go}
N=${N:-10000}
C=${C:-50}
body=shared/testdata/em_colf.json
tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT
(cd ../shared/bench/baseline && "$GO" build -o "$tmp/baseline" .)
"$GO" build -trimpath -o "$tmp/nullaosta" ./server
"$GO" build -trimpath -o "$tmp/loadgen" ./server/loadgen

ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14+$15}' "/proc/$1/stat"; } # utime+stime, in ticks
machine() { awk '/^cpu /{print $5+$6, $9}' /proc/stat; } # idle+iowait, steal
report() { # NAME SERVER_TICKS OTHER_NAME OTHER_TICKS SECONDS IDLE STEAL
	python3 -c "
n, t, s = $N, $ticks, $5
print(f'  {\"$1\":7s} server {$2/t/n*1e6:4.0f} µs, $3 {$4/t/n*1e6:4.0f} µs per submission; idle {$6/t/s/$(nproc)*100:3.0f}%, steal {$7/t/s/$(nproc)*100:3.0f}% of the machine ({n/s:.0f}/s)')"
}

port=$((45000 + RANDOM % 4000))
"$tmp/baseline" -serve "127.0.0.1:$port" -db "$tmp/b.db" &
bp=$!
pids+=("$bp")
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
s0=$(cpu "$bp"); read -r i0 st0 < <(machine); t0=$(date +%s.%N)
# The client's CPU: the subshell's children times (bash's times), once it has ended.
( "$tmp/baseline" -url "http://127.0.0.1:$port" -n "$N" -c "$C" -body "$body" >"$tmp/b.out"; times >"$tmp/b.times" )
t1=$(date +%s.%N); s1=$(cpu "$bp"); read -r i1 st1 < <(machine)
kill "$bp"; wait "$bp" 2>/dev/null || true
cl=$(python3 -c "
import re
ls = open('$tmp/b.times').read().split('\n')[1].split()  # children: user sys, as 0m1.234s
sec = lambda v: float(re.match(r'(\d+)m([\d.]+)s', v).group(1))*60 + float(re.match(r'(\d+)m([\d.]+)s', v).group(2))
print(round((sec(ls[0]) + sec(ls[1])) * $ticks))")
echo "C=$C N=$N: $(cat "$tmp/b.out")"
report bare $((s1 - s0)) client "$cl" "$(python3 -c "print($t1-$t0)")" $((i1 - i0)) $((st1 - st0))

"$tmp/nullaosta" -addr 127.0.0.1:0 -addr-file "$tmp/addr" -data "$tmp/data" -web web -dev -bench 2>"$tmp/server.log" &
pid=$!
pids+=("$pid")
for _ in $(seq 100); do [[ -s "$tmp/addr" ]] && break; sleep 0.1; done
"$tmp/loadgen" -url "http://$(cat "$tmp/addr")" -n "$N" -c "$C" -db "$tmp/data/nullaosta.db" -pid "$pid" -timeout 3m >"$tmp/lg.log" 2>&1 &
lg=$!
until grep -q '^modules:' "$tmp/lg.log" 2>/dev/null; do kill -0 "$lg" 2>/dev/null || break; sleep 0.01; done
s0=$(cpu "$pid"); l0=$(cpu "$lg"); read -r i0 st0 < <(machine); t0=$(date +%s.%N)
until grep -q 'accepted/s' "$tmp/lg.log" 2>/dev/null; do kill -0 "$lg" 2>/dev/null || break; sleep 0.02; done
t1=$(date +%s.%N); s1=$(cpu "$pid"); l1=$(cpu "$lg"); read -r i1 st1 < <(machine)
wait "$lg" || { cat "$tmp/lg.log"; exit 1; }
grep -E 'accepted/s|^check: lost' "$tmp/lg.log" | sed 's/^ */  /'
report project $((s1 - s0)) loadgen $((l1 - l0)) "$(python3 -c "print($t1-$t0)")" $((i1 - i0)) $((st1 - st0))
