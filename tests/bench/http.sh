#!/usr/bin/env bash
# HTTP load figures for findling-searchd with wrk: 8 connections for 10 s
# per run, cycling through the queries of $FL_SHARED/bench/queries-de.txt:
#   /api/search  (top 10 with snippets) with the response cache, as deployed
#   /api/search  with --cache-mb 0: every request runs fl_search
#   /api/suggest every prefix (2+ letters) of the query words, cache on/off
#   /health      the ceiling of the same daemon
# Prints QPS, p50 and p99 per run. Targets (issue "findling-searchd"):
# search >= 1500 QPS with p99 <= 20 ms, suggest p99 <= 5 ms.
# Usage: tests/bench/http.sh INDEX   (FL_BUILD = build dir, default build;
# FL_BENCH_SECONDS, FL_BENCH_CONNS, FL_BENCH_THREADS override the load)
# FL_BENCH_ONLY=search-nocache (tests/bench/scale): only the uncached search
# run, then one line "daemon rss_kb N anon_kb N file_kb N hwm_kb N
# cache_kb N mapped_kb N busy_anon_kb N" read from /proc and /metrics
# (SQLite page caches; lexicon and per-document table mapped from
# unlinked files) for the daemon 1.5 s after the load, when its idle
# workers have trimmed the heap, and its heap right after the load.
set -u
cd "$(dirname "$0")/../.."
B=${FL_BUILD:-build}
IDX=${1:-$B/corpus.db}
FL_SHARED=${FL_SHARED:-$(cd .. && pwd)/shared}
QUERIES=$FL_SHARED/bench/queries-de.txt
SECS=${FL_BENCH_SECONDS:-10}
CONNS=${FL_BENCH_CONNS:-8}
ONLY=${FL_BENCH_ONLY:-}
case "$ONLY" in
"" | search-nocache) ;;
*) echo "http bench: FL_BENCH_ONLY='$ONLY': only search-nocache is known"; exit 2 ;;
esac
if ! command -v wrk >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	echo "http bench: installing wrk with apt-get"
	timeout 120 env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1 ||
		timeout 180 sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk' >/dev/null 2>&1
fi
command -v wrk >/dev/null || { echo "http bench: wrk not installed (apt-get install wrk), skipped"; exit 0; }
[ -f "$IDX" ] || { echo "http bench: no index at $IDX, skipped"; exit 0; }
[ -f "$QUERIES" ] || { echo "http bench: $QUERIES missing, skipped"; exit 0; }
[ -x "$B/findling-searchd" ] || { echo "http bench: $B/findling-searchd not built, skipped"; exit 0; }
T=$(mktemp -d)
PIDS=
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$T"' EXIT

# Request paths, one per line: the queries percent-encoded (comments and
# blanks dropped), and the prefixes of their words for suggest.
python3 -c '
import sys, urllib.parse
q = lambda s: urllib.parse.quote(s, safe="")
search = open(sys.argv[2], "w")
suggest = open(sys.argv[3], "w")
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    print("/api/search?q=" + q(line), file=search)
    for w in line.replace("\"", " ").split():
        for n in range(2, len(w) + 1):
            print("/api/suggest?q=" + q(w[:n]), file=suggest)' \
	"$QUERIES" "$T/search.txt" "$T/suggest.txt"

# Each wrk thread walks the path list from its own starting point.
cat >"$T/paths.lua" <<'LUA'
local paths = {}
local i = 0
init = function(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  i = math.random(#paths)
end
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local errs = summary.errors.status + summary.errors.connect +
    summary.errors.read + summary.errors.write + summary.errors.timeout
  local e = summary.errors
  local why = errs == 0 and "" or string.format(" (status %d connect %d read %d write %d timeout %d)",
    e.status, e.connect, e.read, e.write, e.timeout)
  io.write(string.format("QPS %6.0f  p50 %7.2f ms  p99 %7.2f ms  errors %d%s  requests %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, errs, why, summary.requests))
end
LUA

# start NAME ARGS...: runs the daemon, sets U_<NAME> to its base URL and
# P_<NAME> to its pid.
start() {
	local name=$1
	shift
	"$B/findling-searchd" --index "$IDX" --listen 127.0.0.1:0 \
		--threads "${FL_BENCH_THREADS:-4}" "$@" >"$T/$name.out" 2>"$T/$name.err" &
	PIDS="$PIDS $!"
	printf -v "P_$name" '%s' "$!"
	for _ in $(seq 100); do grep -qs '^listening on ' "$T/$name.out" && break; sleep 0.05; done
	local u
	u=$(sed -n 's|^listening on \(http://.*\)/$|\1|p' "$T/$name.out")
	[ -n "$u" ] || { echo "http bench: daemon did not start: $(cat "$T/$name.err")"; exit 1; }
	printf -v "U_$name" '%s' "$u"
}
# run LABEL URL PATHS: one timed wrk run cycling through the path list.
run() {
	printf '%-24s ' "$1"
	wrk -t 2 -c "$CONNS" -d "${SECS}s" -s "$T/paths.lua" "$2" -- "$3" | tail -1
}

# The header line of a measurement.
banner() {
	echo "findling-searchd on $IDX, $CONNS connections, $SECS s each" \
		"($(wc -l <"$T/search.txt") queries, $(wc -l <"$T/suggest.txt") prefixes, $(nproc) CPUs)"
}

# FL_BENCH_ONLY=search-nocache: what tests/bench/scale compares across
# corpus sizes. The memory is read while the daemon still runs: RssAnon is
# its heap (SQLite page caches included), RssFile mostly the mmapped index.
if [ "$ONLY" = search-nocache ]; then
	start nocache --cache-mb 0
	wrk -t 2 -c "$CONNS" -d 2s -s "$T/paths.lua" "$U_nocache" -- "$T/search.txt" >/dev/null
	banner
	run "/api/search (no cache)" "$U_nocache" "$T/search.txt"
	# the heap right after the load, then once idle workers trimmed it
	busy=$(awk '/^RssAnon:/ { print $2 }' "/proc/$P_nocache/status")
	sleep 1.5
	# page caches, and the tables mapped from unlinked files (lexicon,
	# per-document table: page cache too, not heap), from /metrics
	read -r cache mapped < <(python3 -c 'import sys, urllib.request
m = {}
for l in urllib.request.urlopen(sys.argv[1] + "/metrics", timeout=10).read().decode().splitlines():
    if not l.startswith("#") and " " in l:
        k, v = l.split(None, 1)
        m[k] = float(v)
mapped = sum(m.get("findling_%s_bytes" % t, 0) for t in ("lexicon", "document_table")
             if m.get("findling_%s_mapped" % t) == 1)
print(int(m.get("findling_sqlite_page_cache_bytes", 0)) // 1024, int(mapped) // 1024)' "$U_nocache" 2>/dev/null)
	awk -v cache="${cache:-0}" -v mapped="${mapped:-0}" -v busy="${busy:-0}" \
		'/^(VmRSS|RssAnon|RssFile|VmHWM):/ { v[$1] = $2 }
		END { printf "daemon rss_kb %d anon_kb %d file_kb %d hwm_kb %d cache_kb %d mapped_kb %d busy_anon_kb %d\n",
			v["VmRSS:"], v["RssAnon:"], v["RssFile:"], v["VmHWM:"], cache, mapped, busy }' \
		"/proc/$P_nocache/status"
	exit 0
fi

start cached
start nocache --cache-mb 0

# Warm-up, not measured: every worker opens its store and searcher and
# loads its caches; the cached daemon sees each request once.
for u in "$U_cached" "$U_nocache"; do
	for f in search suggest; do
		wrk -t 2 -c "$CONNS" -d 2s -s "$T/paths.lua" "$u" -- "$T/$f.txt" >/dev/null
	done
done

banner
run "/api/search (cache)" "$U_cached" "$T/search.txt"
run "/api/search (no cache)" "$U_nocache" "$T/search.txt"
run "/api/suggest (cache)" "$U_cached" "$T/suggest.txt"
run "/api/suggest (no cache)" "$U_nocache" "$T/suggest.txt"
printf '%-24s ' "/health"
sed -n '/^done = /,$p' "$T/paths.lua" >"$T/plain.lua"
wrk -t 2 -c "$CONNS" -d "${SECS}s" -s "$T/plain.lua" "$U_cached/health" | tail -1
