#!/usr/bin/env bash
# findling-searchd while the index changes: queries during indexer writes
# (no errors, new documents appear without restart), SIGHUP reopen, the
# per-request time budget (503, never a hang) and the SIGTERM drain (a slow
# request in flight completes, exit status 0). Every loop is bounded.
. "$(dirname "$0")/lib.sh"

if [ ! -x "$SEARCHD" ] || [ ! -x "$B/findling-index" ]; then
	skip "findling-searchd or findling-index not built"
	exit 0
fi
command -v curl >/dev/null || { skip "curl not installed"; exit 0; }
command -v python3 >/dev/null || { skip "python3 not installed"; exit 0; }


# gen FILE FIRST COUNT [EXTRA_WORD]: synthetic German news as JSON Lines
gen() {
	awk -v first="$2" -v n="$3" -v extra="${4:-}" 'BEGIN {
		split("Stadtrat Haushalt Wohnungsbau Straßenbahn Kita Schule " \
		      "Braunkohle Strukturwandel Hochwasser Radweg Bürgerhaus " \
		      "Gewerbegebiet Fachkräfte Verkehrswende Landkreis", w, " ")
		for (i = first; i < first + n; i++) {
			body = ""
			for (k = 0; k < 40; k++)
				body = body w[(i * 7 + k * 3) % 15 + 1] " wortreich" k % 9 " "
			printf "{\"id\":\"live:%d\",\"title\":\"Meldung %d %s\"," \
			       "\"date\":\"20%02d-0%d-1%d\",\"source\":\"Quelle %d\"," \
			       "\"type\":\"news\",\"lang\":\"de\",\"body\":\"%s %s\"}\n",
			       i, i, w[i % 15 + 1], 10 + i % 15, 1 + i % 9, i % 10,
			       i % 5, body, extra
		}
	}' > "$1"
}

mkdir -p "$T/feed"
gen "$T/feed/base.jsonl" 1 1500
$INDEXER --quiet --index "$T/idx.db" "$T/feed" >/dev/null 2>&1
[ $? -le 1 ] || { fail "index the synthetic feed"; exit 1; }

# start NAME ARGS...: the daemon on $T/idx.db (start_searchd, lib.sh)
start() {
	local name=$1

	shift
	start_searchd "$name" "$T/idx.db" "$@"
}
start main --threads 4
[ -n "$URL_main" ] || { fail "daemon did not start: $(cat "$T/main.err")"; exit 1; }
U=$URL_main
jget() { curl -s --max-time 10 "$U$1" | python3 -c "import json,sys; j=json.load(sys.stdin); print($2)"; }

gen0=$(jget /health "j['generation']")
check "Zwergpinguinparade not found before indexing" \
	test "$(jget '/api/search?q=Zwergpinguinparade' "j['total']")" = 0

# ---- queries while the indexer writes ----
(
	for i in 1 2 3 4 5; do
		extra=
		[ "$i" = 5 ] && extra=Zwergpinguinparade
		gen "$T/feed/new-$i.jsonl" $((2000 + i * 300)) 300 "$extra"
		$INDEXER --quiet --index "$T/idx.db" "$T/feed" >/dev/null 2>&1 ||
			[ $? = 1 ] || echo "indexer failed" >>"$T/writer.err"
	done
) &
W=$!
SD_PIDS="$SD_PIDS $W"
: >"$T/codes"
end=$((SECONDS + 30))
n=0
while kill -0 "$W" 2>/dev/null && [ $n -lt 2000 ] && [ $SECONDS -lt $end ]; do
	for q in Haushalt 'Stadtrat%20Kita' 'Verkehr*' 'wortreich3'; do
		curl -s --max-time 10 -o /dev/null -w '%{http_code}\n' \
			"$U/api/search?q=$q&facets=source,year&limit=20" >>"$T/codes"
	done
	n=$((n + 4))
done
wait "$W"
bad=$(grep -vc '^200$' "$T/codes")
total=$(wc -l <"$T/codes")
[ "$total" -gt 0 ] && [ "$bad" = 0 ] &&
	ok "$total queries during 5 indexer runs, all 200" ||
	fail "$bad of $total queries during indexing failed: $(sort "$T/codes" | uniq -c | tr '\n' ' ')"
check "indexer runs succeeded" test ! -s "$T/writer.err"
check "new document appears without restart" \
	test "$(jget '/api/search?q=Zwergpinguinparade' "j['total']")" -gt 0
gen1=$(jget /health "j['generation']")
check "generation moved ($gen0 -> $gen1)" test "$gen1" -gt "$gen0"

# ---- SIGHUP reopens every worker's store ----
kill -HUP "$PID_main"
sleep 0.2
: >"$T/codes"
for _ in $(seq 16); do
	curl -s --max-time 10 -o /dev/null -w '%{http_code}\n' "$U/api/search?q=Haushalt" >>"$T/codes"
done
check "requests after SIGHUP answer 200" test "$(grep -vc '^200$' "$T/codes")" = 0
check "SIGHUP reopened stores (metrics)" \
	grep -Eq '^findling_store_reopens_total [1-9]' <(curl -s --max-time 10 "$U/metrics")

# ---- the per-request time budget ----
start tight --threads 1 --budget-ms 1
: >"$T/tight"
for q in 'wortreich*' 'Haushalt%20OR%20Kita%20OR%20Schule%20OR%20Radweg' 'wortreich1%20OR%20wortreich2%20OR%20wortreich3'; do
	curl -s --max-time 10 -w ' %{http_code}\n' \
		"$URL_tight/api/search?q=$q&facets=all&sort=date&limit=100" >>"$T/tight"
done
if grep -q '"code":"timeout".* 503$' "$T/tight" && ! grep -Eqv ' (200|503)$' "$T/tight"; then
	ok "1 ms budget: 503 timeout JSON, no other status"
else
	fail "budget: $(cut -c1-120 "$T/tight")"
fi
check "after a timeout the worker answers again" \
	test "$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "$URL_tight/health")" = 200
kill -TERM "$PID_tight"; wait "$PID_tight"; check "budget daemon exits 0" test $? = 0

# ---- SIGTERM drain: a slow request in flight completes ----
python3 - "$U" "$PID_main" >"$T/drain" 2>&1 <<'PY'
import os, signal, socket, sys, time, urllib.parse
u = urllib.parse.urlparse(sys.argv[1]); pid = int(sys.argv[2])
s = socket.create_connection((u.hostname, u.port)); s.settimeout(10)
# Headers now, the (small, announced) body only after SIGTERM.
s.sendall(b"GET /api/search?q=Haushalt HTTP/1.1\r\nHost: x\r\n"
          b"Content-Length: 5\r\nConnection: close\r\n\r\n")
time.sleep(0.3)
os.kill(pid, signal.SIGTERM)
time.sleep(0.7)
try:
    s2 = socket.create_connection((u.hostname, u.port), timeout=2)
    s2.close(); print("new connection accepted while draining")
except OSError:
    print("new connections refused")
s.sendall(b"hello")
data = b""
while True:
    d = s.recv(65536)
    if not d: break
    data += d
print(data.split(b"\r\n")[0].decode())
print("complete" if data.rstrip().endswith(b"}") else "truncated")
PY
grep -q '^HTTP/1.1 200' "$T/drain" && grep -q '^complete' "$T/drain" &&
	ok "SIGTERM: the request in flight completes" || fail "drain: $(cat "$T/drain")"
check "SIGTERM: no new connections while draining" grep -q 'refused' "$T/drain"
wait "$PID_main"; rc=$?
check "SIGTERM: exit status 0 (got $rc)" test "$rc" = 0
