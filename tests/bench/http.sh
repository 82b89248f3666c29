#!/usr/bin/env bash
# HTTP load figures for findling-searchd with wrk: 8 connections for 10 s
# against /api/search (cycling through the queries of
# $FL_SHARED/bench/queries-de.txt) and against /health; prints QPS, p50, p99.
# Usage: tests/bench/http.sh INDEX   (FL_BUILD = build dir, default build;
# FL_BENCH_SECONDS, FL_BENCH_CONNS, FL_BENCH_THREADS override the load)
set -u
cd "$(dirname "$0")/../.."
B=${FL_BUILD:-build}
IDX=${1:-$B/corpus.db}
FL_SHARED=${FL_SHARED:-$(cd .. && pwd)/shared}
QUERIES=$FL_SHARED/bench/queries-de.txt
SECS=${FL_BENCH_SECONDS:-10}
CONNS=${FL_BENCH_CONNS:-8}
command -v wrk >/dev/null || { echo "http bench: wrk not installed (apt-get install wrk), skipped"; exit 0; }
[ -f "$IDX" ] || { echo "http bench: no index at $IDX, skipped"; exit 0; }
[ -f "$QUERIES" ] || { echo "http bench: $QUERIES missing, skipped"; exit 0; }
T=$(mktemp -d)
SD_PID=
trap '[ -n "$SD_PID" ] && kill "$SD_PID" 2>/dev/null && wait "$SD_PID" 2>/dev/null; rm -rf "$T"' EXIT

# The queries, percent-encoded, one per line (comments and blanks dropped).
python3 -c '
import sys, urllib.parse
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.strip()
    if line and not line.startswith("#"):
        print(urllib.parse.quote(line, safe=""))' "$QUERIES" >"$T/q.txt"

cat >"$T/search.lua" <<LUA
local qs = {}
for line in io.lines("$T/q.txt") do qs[#qs + 1] = line end
local i = 0
request = function()
  i = i % #qs + 1
  return wrk.format("GET", "/api/search?q=" .. qs[i])
end
LUA
cat >"$T/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local errs = summary.errors.status + summary.errors.connect +
    summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("QPS %.0f  p50 %.2f ms  p99 %.2f ms  errors %d  requests %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, errs, summary.requests))
end
LUA
cat "$T/report.lua" >>"$T/search.lua"

"$B/findling-searchd" --index "$IDX" --listen 127.0.0.1:0 --threads "${FL_BENCH_THREADS:-4}" \
	>"$T/sd.out" 2>"$T/sd.err" &
SD_PID=$!
for _ in $(seq 100); do grep -q '^listening on ' "$T/sd.out" && break; sleep 0.05; done
U=$(sed -n 's|^listening on \(http://.*\)/$|\1|p' "$T/sd.out")
[ -n "$U" ] || { echo "http bench: daemon did not start: $(cat "$T/sd.err")"; exit 1; }

echo "findling-searchd on $IDX, $CONNS connections, $SECS s each ($(grep -c . "$T/q.txt") queries)"
printf '%-12s ' "/api/search"
wrk -t 2 -c "$CONNS" -d "${SECS}s" -s "$T/search.lua" "$U" | tail -1
printf '%-12s ' "/health"
wrk -t 2 -c "$CONNS" -d "${SECS}s" -s "$T/report.lua" "$U/health" | tail -1
