#!/usr/bin/env bash
# make profile-server: the server under the load generator, profiled. It starts the server like
# make bench-server (with -debug-addr on loopback), and while loadgen sends N applications from
# C clients it takes a CPU profile of SECS seconds, then the allocation, mutex and block
# profiles, and prints the top of each. The profiles stay in OUT (default ./profiles).
#
#   N=20000 C=500 SECS=8 OUT=profiles bash server/loadgen/profile.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

GO=${GO:-go}
N=${N:-20000}
C=${C:-500}
SECS=${SECS:-8}
OUT=${OUT:-profiles}
mkdir -p "$OUT"

tmp=$(mktemp -d)
pid=""
cleanup() {
	if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

server="$tmp/nullaosta"
"$GO" build -trimpath -o "$server" ./server
"$GO" build -trimpath -o "$tmp/loadgen" ./server/loadgen
dport=$((47000 + RANDOM % 2000))
"$server" -addr 127.0.0.1:0 -addr-file "$tmp/addr" -data "$tmp/data" -web web -dev -bench \
	-debug-addr "127.0.0.1:$dport" 2>"$tmp/server.log" &
pid=$!
for _ in $(seq 100); do
	[[ -s "$tmp/addr" ]] && break
	kill -0 "$pid" 2>/dev/null || { cat "$tmp/server.log"; exit 1; }
	sleep 0.1
done
addr=$(cat "$tmp/addr")
dbg="http://127.0.0.1:$dport/debug/pprof"
echo "server: pid $pid on $addr; load average $(cut -d' ' -f1-3 /proc/loadavg)"

"$tmp/loadgen" -url "http://$addr" -n "$N" -c "$C" -db "$tmp/data/nullaosta.db" -pid "$pid" -timeout 3m >"$tmp/loadgen.log" 2>&1 &
lg=$!
# Start profiling once the sending has begun (the modules are generated first).
until grep -q '^modules:' "$tmp/loadgen.log" 2>/dev/null; do
	kill -0 "$lg" 2>/dev/null || break
	sleep 0.1
done
# The same SECS seconds for all four (allocs, mutex and block as deltas over the window).
curls=()
for p in profile:cpu allocs:allocs mutex:mutex block:block; do
	curl -s -o "$OUT/${p#*:}.pb.gz" "$dbg/${p%%:*}?seconds=$SECS" &
	curls+=($!)
done
curl -s -o "$OUT/writer.txt" "http://127.0.0.1:$dport/debug/writer?seconds=$SECS" &
curls+=($!)
wait "${curls[@]}"
wait "$lg" || true
cat "$tmp/loadgen.log"
kill -TERM "$pid"
wait "$pid" || true
pid=""
grep -E 'arrestato' "$tmp/server.log" | sed 's/^/server: /' || true
cp "$server" "$OUT/nullaosta"
echo; echo "== group commit during the $SECS s"; cat "$OUT/writer.txt"

top() { echo; echo "== $1"; shift; "$GO" tool pprof -top -nodecount=40 "$@" 2>/dev/null | sed -n '1,48p'; }
top "CPU ($SECS s)" "$OUT/nullaosta" "$OUT/cpu.pb.gz"
top "allocated bytes while sending" -sample_index=alloc_space "$OUT/nullaosta" "$OUT/allocs.pb.gz"
top "mutex contention" "$OUT/nullaosta" "$OUT/mutex.pb.gz"
top "blocking" "$OUT/nullaosta" "$OUT/block.pb.gz"
