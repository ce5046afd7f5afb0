#!/usr/bin/env bash
# make bench-server: build the server and the load generator, start the server on a free
# loopback port with a temporary data directory (-dev: activation links readable by the load
# generator; -bench: no rate limits, no module limit), send N EM applications with C=50 and
# then C=500 concurrent clients, check the database, and stop the server.
#
#   N=10000 CS="50 500" bash server/loadgen/run.sh   (the defaults)
set -euo pipefail
cd "$(dirname "$0")/../.."

GO=${GO:-go}
N=${N:-10000}
CS=${CS:-"50 500"}

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

# -trimpath like the Makefile, so that both builds share the build cache.
server="$tmp/nullaosta"
"$GO" build -trimpath -o "$server" ./server
"$GO" build -trimpath -o "$tmp/loadgen" ./server/loadgen

"$server" -addr 127.0.0.1:0 -addr-file "$tmp/addr" -data "$tmp/data" -web web -dev -bench 2>"$tmp/server.log" &
pid=$!
for _ in $(seq 100); do
	[[ -s "$tmp/addr" ]] && break
	kill -0 "$pid" 2>/dev/null || { cat "$tmp/server.log"; exit 1; }
	sleep 0.1
done
addr=$(cat "$tmp/addr")
echo "server: pid $pid on $addr, data in $tmp/data; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"

status=0
for c in $CS; do
	echo
	"$tmp/loadgen" -url "http://$addr" -n "$N" -c "$c" -db "$tmp/data/nullaosta.db" -pid "$pid" -timeout 2m || status=1
done

kill -TERM "$pid"
wait "$pid" || true
pid=""
echo
grep -E 'arrestato' "$tmp/server.log" | sed 's/^/server: /' || true
exit $status
