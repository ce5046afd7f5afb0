#!/usr/bin/env bash
# make bench-server: build the server and the load generator, then for each engine of ENGINES
# start the server on free loopback ports (-dev: activation links readable by the load
# generator; -bench: no rate limits, no module limit), send N EM applications with each C of
# CS concurrent clients, check the database holds exactly the acknowledged submissions, and
# stop the servers.
#
#   sqlite    one server on a SQLite file in a temporary data directory;
#   postgres  one server, then two servers behind the same load generator (the clients take
#             turns), each configuration on a fresh database of a throwaway PostgreSQL cluster
#             started for the run with fsync and synchronous commit on, as in production
#             (server/pgtest/pgcluster -durable). PostgreSQL, the servers and the load
#             generator share this machine's cores.
#
#   N=10000 CS="50 500" ENGINES=sqlite bash server/loadgen/run.sh   (the defaults when run
#   directly; make bench-server runs ENGINES="sqlite postgres")
set -euo pipefail
cd "$(dirname "$0")/../.."

GO=${GO:-go}
N=${N:-10000}
CS=${CS:-"50 500"}
ENGINES=${ENGINES:-sqlite}

pids=()
stop_servers() {
	for p in "${pids[@]}"; do
		if kill -0 "$p" 2>/dev/null; then
			kill -TERM "$p" 2>/dev/null || true
			wait "$p" 2>/dev/null || true
		fi
	done
	pids=()
}

# start_server LOG ADDRFILE ARGS…: one server in the background; its pid goes in pids and its
# address in ADDRFILE.
start_server() {
	local log=$1 addrfile=$2
	shift 2
	"$tmp/nullaosta" -addr 127.0.0.1:0 -addr-file "$addrfile" -web web -dev -bench "$@" 2>"$log" &
	local p=$!
	pids+=("$p")
	for _ in $(seq 300); do
		[[ -s "$addrfile" ]] && return 0
		kill -0 "$p" 2>/dev/null || { cat "$log"; return 1; }
		sleep 0.1
	done
	echo "server did not start"; cat "$log"; return 1
}

# send URLS PIDS DB: the load generator for each C.
send() {
	local status=0
	for c in $CS; do
		echo
		"$tmp/loadgen" -url "$1" -n "$N" -c "$c" -db "$3" -pid "$2" -timeout 3m || status=1
	done
	return $status
}

# Inside the PostgreSQL cluster (pgcluster runs this script again with --postgres TMP): one
# instance on NULLAOSTA_PG_BENCH1, then two on NULLAOSTA_PG_BENCH2.
if [[ "${1:-}" == "--postgres" ]]; then
	tmp=$2
	trap stop_servers EXIT
	status=0
	for k in 1 2; do
		var=NULLAOSTA_PG_BENCH$k
		db=${!var}
		urls="" pidlist=""
		for i in $(seq "$k"); do
			# The instances share the receipt key: the first creates it, the second reads it.
			start_server "$tmp/pg$k-$i.log" "$tmp/pg$k-$i.addr" -db "$db" -data "$tmp/pgdata"
			urls+="${urls:+,}http://$(cat "$tmp/pg$k-$i.addr")"
			pidlist+="${pidlist:+,}${pids[-1]}"
		done
		echo
		echo "=== postgres, $k instance(s): $urls (pids $pidlist); $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
		send "$urls" "$pidlist" "$db" || status=1
		stop_servers
	done
	exit $status
fi

tmp=$(mktemp -d)
cleanup() {
	stop_servers
	rm -rf "$tmp"
}
trap cleanup EXIT

# -trimpath like the Makefile, so that the builds share the build cache.
"$GO" build -trimpath -o "$tmp/nullaosta" ./server
"$GO" build -trimpath -o "$tmp/loadgen" ./server/loadgen

status=0
for engine in $ENGINES; do
	case $engine in
	sqlite)
		start_server "$tmp/server.log" "$tmp/addr" -data "$tmp/data"
		addr=$(cat "$tmp/addr")
		echo "=== sqlite: server pid ${pids[-1]} on $addr, data in $tmp/data; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
		send "http://$addr" "${pids[-1]}" "$tmp/data/nullaosta.db" || status=1
		stop_servers
		echo
		grep -E 'arrestato' "$tmp/server.log" | sed 's/^/server: /' || true
		;;
	postgres)
		"$GO" build -trimpath -o "$tmp/pgcluster" ./server/pgtest/pgcluster
		echo
		"$tmp/pgcluster" -durable -db bench1,bench2 -- bash "$0" --postgres "$tmp" || status=1
		;;
	*)
		echo "ENGINES: unknown engine $engine (sqlite, postgres)"
		status=1
		;;
	esac
done
exit $status
