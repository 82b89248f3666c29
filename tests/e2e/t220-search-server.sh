#!/usr/bin/env bash
# findling search --server URL: the same answers as --index, in every
# output format, through findling-searchd on 127.0.0.1 (ephemeral port);
# HTTP errors, unreachable and non-loopback servers fail cleanly.
. "$(dirname "$0")/lib.sh"

if [ ! -x "$SEARCHD" ] || [ ! -x "$B/findling-index" ]; then
	skip "findling-searchd or findling-index not built"
	exit 0
fi
command -v python3 >/dev/null || { skip "python3 not installed"; exit 0; }


$INDEXER --quiet --index "$T/idx.db" "$FL_ROOT/corpus" >/dev/null 2>&1
[ $? -le 1 ] || { fail "index corpus/"; exit 1; }
start_searchd sd "$T/idx.db" --threads 2
SD_PID=$PID_sd
U=$URL_sd
[ -n "$U" ] || { fail "daemon did not start: $(cat "$T/sd.err")"; exit 1; }

# same FORMAT ARGS...: --index and --server print the same (JSON without
# the timings, which differ per run)
same() {
	local fmt=$1; shift
	$CLI search --index "$T/idx.db" --format "$fmt" "$@" >"$T/a" 2>&1
	local ra=$?
	$CLI search --server "$U" --format "$fmt" "$@" >"$T/b" 2>&1
	local rb=$?
	if [ "$fmt" = json ]; then
		for f in a b; do
			python3 -c "import json,sys; j=json.load(open(sys.argv[1])); j.pop('took_ms',None); print(json.dumps(j, sort_keys=True))" "$T/$f" >"$T/$f.n" 2>&1
		done
		cmp -s "$T/a.n" "$T/b.n"
	else
		sed "s/ in [0-9.]* ms / in X ms /" "$T/a" >"$T/a.n"; sed "s/ in [0-9.]* ms / in X ms /" "$T/b" >"$T/b.n"
		cmp -s "$T/a.n" "$T/b.n"
	fi || { diff "$T/a.n" "$T/b.n" | head -5 >&2; return 1; }
	[ "$ra" = "$rb" ]
}
check "json: same result as --index" same json Schule
check "json: facets, filter, paging, date sort" same json --facets all \
	--filter from=2000-01-01 --limit 3 --offset 1 --sort date Leipzig
check "text: same lines as --index" same text Braunkohle Lausitz
check "csv: same rows as --index" same csv Fachkräfte
check "kwic: same lines as --index (texts over /api/documents)" same kwic Leipzig
check "umlauts and quotes survive the URL" same json '"Straße in München"'
check "question (any mode) with did-you-mean" same json Wie viele Schuelr gibt es?
check "--no-snippets is passed on (snippet null)" sh -c \
	"$CLI search --server '$U' --format json --no-snippets Schule | jq -e '.hits | length > 0 and all(.snippet == null)' >/dev/null"
check "json: --no-snippets same as --index" same json --no-snippets Schule
check "json: month and year periods as from/to" same json \
	--filter from=2020-03 --filter to=2024 --facets year Leipzig

$CLI search --server "$U" --limit 1000 x >"$T/o" 2>&1
check "bad limit is a usage error before any request" [ $? = 2 ]
$CLI search --server "$U" --filter from=1999-13 x >"$T/o" 2>&1
rc=$?
check "HTTP 400 answer: exit 2 and the server's message" \
	[ "$rc" = 2 ] && grep -q "server answered 400" "$T/o"
$CLI search --server http://127.0.0.1:1 Schule >"$T/o" 2>&1
rc=$?
check "unreachable server: exit 1, 'cannot connect'" \
	[ "$rc" = 1 ] && grep -q "cannot connect" "$T/o"
$CLI search --server http://192.0.2.1:80 Schule >"$T/o" 2>&1
check "non-loopback server refused" grep -q "not a loopback" "$T/o"
$CLI search --server ftp://127.0.0.1 Schule >"$T/o" 2>&1
check "non-http URL is a usage error" [ $? = 2 ]
