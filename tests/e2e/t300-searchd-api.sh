#!/usr/bin/env bash
# findling-searchd over HTTP: every endpoint, every documented error, CORS,
# HEAD, static files and hostile input. Runs the daemon on 127.0.0.1 with an
# ephemeral port on an index of corpus/ and always stops it on exit.
. "$(dirname "$0")/lib.sh"

if [ ! -x "$SEARCHD" ] || [ ! -x "$B/findling-index" ]; then
	skip "findling-searchd or findling-index not built"
	exit 0
fi
command -v curl >/dev/null || { skip "curl not installed"; exit 0; }
command -v python3 >/dev/null || { skip "python3 not installed"; exit 0; }


$INDEXER --quiet --index "$T/idx.db" "$FL_ROOT/corpus" >/dev/null 2>&1
[ $? -le 1 ] || { fail "index corpus/"; exit 1; }

start_searchd sd "$T/idx.db" --threads 2 --cors-origin https://allowed.example --access-log "$T/access.log"
SD_PID=$PID_sd
U=$URL_sd
check "daemon prints 'listening on http://127.0.0.1:PORT/'" \
	grep -Eq '^listening on http://127\.0\.0\.1:[0-9]+/$' "$T/sd.out"
[ -n "$U" ] || { fail "daemon did not start: $(cat "$T/sd.err")"; exit 1; }

# get PATH [curl args...]: body to $T/body, headers to $T/hdr, prints status
get() {
	local p=$1; shift
	curl -s --path-as-is --max-time 10 -o "$T/body" -D "$T/hdr" \
		-w '%{http_code}' "$@" "$U$p"
}
# js EXPR: evaluate a Python expression over the JSON body j
js() { python3 -c "import json,sys; j=json.load(open('$T/body')); print($1)"; }
# expect STATUS PARAM PATH [curl args]: JSON error naming PARAM ('' = none)
expect() {
	local st=$1 param=$2 p=$3 got code; shift 3
	got=$(get "$p" "$@")
	code=$(js "j['error']['code'] if 'error' in j else ''" 2>/dev/null)
	if [ "$got" = "$st" ] && [ -n "$code" ] &&
	   [ "$(js "j['error'].get('parameter','')" 2>/dev/null)" = "$param" ]; then
		ok "$st $code for $p $*"
	else
		fail "expected $st naming '$param' for $p $*, got $got: $(head -c 300 "$T/body")"
	fi
}

# ---- endpoints ----
[ "$(get /health)" = 200 ] && [ "$(js "j['status']")" = ok ] &&
	[ "$(js "j['documents'] > 0")" = True ] && ok "GET /health" ||
	fail "GET /health: $(cat "$T/body")"

st=$(get '/api/search?q=Leipzig&limit=3&facets=source,type,year')
if [ "$st" = 200 ] && [ "$(js "j['total'] > 0 and 0 < len(j['hits']) <= 3")" = True ] &&
   [ "$(js "sorted(j['facets'].keys())")" = "['source', 'type', 'year']" ]; then
	ok "GET /api/search with limit and facets"
else
	fail "GET /api/search: $st $(head -c 300 "$T/body")"
fi
grep -qi '^content-type: application/json; charset=utf-8' "$T/hdr" &&
	ok "search answers application/json; charset=utf-8" || fail "content type"
cp "$T/body" "$T/search.json"

# the same JSON as the CLI (took_ms aside), when the CLI can search
if $CLI search --index "$T/idx.db" --format json --limit 3 --facets source,type,year Leipzig \
	>"$T/cli.json" 2>/dev/null; then
	check "search JSON equals 'findling search --format json'" python3 -c "
import json
a=json.load(open('$T/search.json')); b=json.load(open('$T/cli.json'))
for x in (a, b): x.pop('took_ms', None)
raise SystemExit(a != b)"
else
	skip "findling search --format json not available"
fi

st=$(get '/api/search?q=Leipzig&limit=2&offset=2&sort=date')
[ "$st" = 200 ] && [ "$(js "j['offset'] == 2 and j['sort'] == 'date' and len(j['hits']) <= 2")" = True ] &&
	ok "offset and sort=date" || fail "offset/sort: $st $(head -c 200 "$T/body")"
st=$(get '/api/search?q=Leipzig&from=2024-01-01&to=2024-12-31')
[ "$st" = 200 ] && [ "$(js "all(h['date'] is None or h['date'][:4] == '2024' for h in j['hits'])")" = True ] &&
	ok "from/to date filter" || fail "from/to: $st $(head -c 200 "$T/body")"
st=$(get '/api/search?q=%E2%80%9EHalle%20(Saale)%E2%80%9C&type=news&lang=de')
[ "$st" = 200 ] && ok "German quotes, type and lang filters" || fail "filters: $st"
st=$(get '/api/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%20NEAR%20*%20title%3A')
[ "$st" = 200 ] && ok "hostile query text is searched, not an error" || fail "hostile q: $st"

id=$(python3 -c "import json; print(json.load(open('$T/search.json'))['hits'][0]['id'])")
enc=$(python3 -c "import urllib.parse,sys; print(urllib.parse.quote(sys.argv[1], safe=''))" "$id")
st=$(get "/api/documents/$enc")
[ "$st" = 200 ] && [ "$(js "j['id']")" = "$id" ] && [ "$(js "len(j['body']) > 0")" = True ] &&
	ok "GET /api/documents/{id} (percent-encoded '$id')" || fail "document $id: $st"
expect 404 id "/api/documents/no%3Asuch%2Fdoc"
expect 404 id "/api/documents/"

[ "$(get '/api/suggest?q=Lei&limit=5')" = 200 ] && [ "$(js "'suggestions' in j")" = True ] &&
	ok "GET /api/suggest" || fail "suggest: $(cat "$T/body")"
[ "$(get '/api/suggest?q=Lei&format=opensearch')" = 200 ] && [ "$(js "j[0]")" = Lei ] &&
	ok "GET /api/suggest?format=opensearch" || fail "opensearch suggest"
[ "$(get /api/stats)" = 200 ] && [ "$(js "j['documents'] > 0")" = True ] &&
	ok "GET /api/stats" || fail "stats: $(cat "$T/body")"
[ "$(get /api/openapi.json)" = 200 ] && [ "$(js "j['openapi'][:2]")" = "3." ] &&
	ok "GET /api/openapi.json" || fail "openapi"

# ---- parameter errors: 400 naming the parameter ----
expect 400 limit '/api/search?q=a&limit=abc'
expect 400 limit '/api/search?q=a&limit=1000'
expect 400 limit '/api/search?q=a&limit=0'
expect 400 limit '/api/search?q=a&limit=-1'
expect 400 limit '/api/search?q=a&limit=%2B5'
expect 400 limit '/api/search?q=a&limit=99999999999999999999999'
expect 400 offset '/api/search?q=a&offset=10001'
expect 400 sort '/api/search?q=a&sort=x'
expect 400 from '/api/search?q=a&from=2024-13-01'
expect 400 from '/api/search?q=a&from=2023-02-29'
expect 400 to '/api/search?q=a&to=24-01-01'
expect 400 to '/api/search?q=a&from=2024-05-01&to=2024-04-30'
expect 400 facets '/api/search?q=a&facets=source,bogus'
expect 400 q '/api/search?q=%zz'
expect 400 q '/api/search?q=abc%4'
expect 400 q '/api/search?q=%C3%28'
expect 400 q '/api/search?q=%ED%A0%80'
expect 400 q '/api/search?q=a%00b'
expect 400 q "/api/search?q=$(head -c 1100 /dev/zero | tr '\0' x)"
expect 400 limit '/api/suggest?q=a&limit=51'
expect 400 path '/api/sea%rch'
st=$(get '/api/search?q=a&limit=100'); [ "$st" = 200 ] && ok "limit=100 is fine" || fail "limit=100: $st"
st=$(get '/api/search?q=2023-02-29&from=2024-02-29'); [ "$st" = 200 ] && ok "leap day 2024-02-29 accepted" || fail "leap day: $st"

# ---- other errors ----
expect 404 path /nope
expect 404 path /api/nope
expect 405 '' /api/search -X POST
grep -qi '^allow: GET, HEAD, OPTIONS' "$T/hdr" && ok "405 carries Allow" || fail "405 without Allow"
expect 405 '' /health -X DELETE
head -c 5000 /dev/zero >"$T/zeros"
expect 413 '' /health -X GET --data-binary "@$T/zeros"
expect 413 '' /health -X GET -H 'Transfer-Encoding: chunked' --data-binary "@$T/zeros"
st=$(get /health -X GET --data-binary 'small')
[ "$st" = 200 ] && ok "a small body on GET is ignored" || fail "small body: $st"
big=$(head -c 100000 /dev/zero | tr '\0' a)
expect 414 '' "/api/search?q=$big"
expect 431 '' /health -H "X-Big: $(head -c 20000 /dev/zero | tr '\0' b)"
# Beyond the connection memory MHD answers itself (HTML), status still right.
python3 - "$U" >"$T/raw" <<'PY'
import socket, sys, urllib.parse
u = urllib.parse.urlparse(sys.argv[1])
for raw in (b"GET /api/search?q=" + b"a" * 300000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 300000 + b"\r\n\r\n"):
    s = socket.create_connection((u.hostname, u.port)); s.settimeout(10)
    try:
        s.sendall(raw)
    except OSError:
        pass
    data = b""
    try:
        while b"\r\n" not in data:
            d = s.recv(4096)
            if not d: break
            data += d
    except OSError:
        pass
    print(data.split(b"\r\n")[0].decode(errors="replace"))
PY
grep -q ' 414 ' "$T/raw" && grep -q ' 431 ' "$T/raw" &&
	ok "300 KB request line -> 414, 300 KB header -> 431" || fail "huge requests: $(cat "$T/raw")"

# ---- HEAD, CORS, static files ----
st=$(curl -s -I --max-time 10 -o "$T/hdr" -w '%{http_code}' "$U/api/search?q=Leipzig")
[ "$st" = 200 ] && grep -qi '^content-length: [1-9]' "$T/hdr" && ok "HEAD /api/search" || fail "HEAD: $st"
st=$(get /api/search?q=a -H 'Origin: https://allowed.example')
grep -qi '^access-control-allow-origin: https://allowed.example' "$T/hdr" &&
	grep -qi '^vary: origin' "$T/hdr" && ok "CORS: allowed origin echoed with Vary" || fail "CORS allowed"
get /api/search?q=a -H 'Origin: https://evil.example' >/dev/null
grep -qi '^access-control-allow-origin' "$T/hdr" && fail "CORS: other origin got ACAO" ||
	ok "CORS: other origin gets no Access-Control-Allow-Origin"
st=$(get /api/search -X OPTIONS -H 'Origin: https://allowed.example' -H 'Access-Control-Request-Method: GET')
[ "$st" = 204 ] && grep -qi '^access-control-allow-methods: .*GET' "$T/hdr" &&
	grep -qi '^access-control-allow-origin: https://allowed.example' "$T/hdr" &&
	ok "OPTIONS preflight" || fail "preflight: $st"

st=$(get /)
[ "$st" = 200 ] && grep -qi '^content-type: text/html' "$T/hdr" &&
	grep -qi "^content-security-policy: default-src 'self'" "$T/hdr" &&
	grep -qi '^x-content-type-options: nosniff' "$T/hdr" &&
	grep -q 'rel="search" type="application/opensearchdescription+xml"' "$T/body" &&
	grep -q 'role="combobox"' "$T/body" && grep -q 'lang="de"' "$T/body" &&
	ok "GET / serves the page with CSP and nosniff" || fail "page: $st"
for f in app.js style.css; do
	[ "$(get /$f)" = 200 ] && ok "GET /$f" || fail "GET /$f"
done
grep -q 'innerHTML' "$FL_ROOT/searchd/www/app.js" && fail "app.js uses innerHTML" ||
	ok "app.js never uses innerHTML"
st=$(get /opensearch.xml)
[ "$st" = 200 ] && grep -q "template=\"$U/?q={searchTerms}\"" "$T/body" &&
	ok "opensearch.xml with absolute URLs" || fail "opensearch: $st $(cat "$T/body")"
for p in /../etc/passwd /%2e%2e/etc/passwd /%2E%2E%2Fetc%2Fpasswd /..%2f..%2fetc%2fpasswd \
	/.hidden /etc/passwd //etc/passwd '/index.html%00.txt' /app.js/..; do
	st=$(get "$p")
	case $st in 400|404) ok "traversal $p -> $st" ;; *) fail "traversal $p -> $st" ;; esac
done

# ---- metrics, access log, no 5xx ----
# A second after the searches above the idle workers trimmed the heap
# (searchd/queue.c); 1.5 s leaves room for a slow machine.
sleep 1.5
[ "$(get /metrics)" = 200 ] &&
	grep -q '^findling_heap_trims_total [1-9]' "$T/body" &&
	grep -q '^findling_http_requests_total{route="search",status="200"} [1-9]' "$T/body" &&
	grep -q '^findling_http_requests_total{route="search",status="400"} [1-9]' "$T/body" &&
	grep -q '^findling_http_request_duration_seconds_bucket{route="search",le="+Inf"} [1-9]' "$T/body" &&
	grep -q '^findling_documents [1-9]' "$T/body" &&
	grep -q '^findling_index_generation [0-9]' "$T/body" &&
	grep -q '^findling_sqlite_page_cache_bytes [1-9]' "$T/body" &&
	ok "GET /metrics (Prometheus text)" || fail "metrics: $(head -c 600 "$T/body")"
# The lexicon and the per-document table are off the heap: unlinked
# files beside the index, mapped, which leave no name in the directory.
grep -q '^findling_document_table_bytes [1-9]' "$T/body" &&
	grep -q '^findling_document_table_mapped 1$' "$T/body" &&
	grep -q '^findling_lexicon_bytes [1-9]' "$T/body" &&
	grep -q '^findling_lexicon_mapped 1$' "$T/body" &&
	ok "lexicon and per-document table mapped from files" ||
	fail "shared tables: $(grep -E 'document_table|lexicon' "$T/body")"
ls -A "$T" | grep -q findling-spill &&
	fail "a spilled table left a file: $(ls -A "$T")" ||
	ok "no spill file left beside the index"
grep -q 'status="5' "$T/body" && fail "a 5xx was answered: $(grep 'status="5' "$T/body")" ||
	ok "no 5xx for any client input"
grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z GET /api/search\?q=Leipzig&limit=3[^ ]* 200 [0-9]+ [0-9.]+$' \
	"$T/access.log" && ok "access log line: time method path status bytes ms" ||
	fail "access log: $(head -3 "$T/access.log")"

# ---- the OpenAPI description matches the real answers ----
python3 - "$U" "$enc" "$FL_ROOT/searchd/www/openapi.json" >"$T/oa" 2>&1 <<'PY'
import json, sys, urllib.request
base, docid, spec_path = sys.argv[1], sys.argv[2], sys.argv[3]
spec = json.load(open(spec_path))
def resolve(s):
    while isinstance(s, dict) and "$ref" in s:
        node = spec
        for part in s["$ref"].lstrip("#/").split("/"):
            node = node[part]
        s = node
    return s
def check(schema, value, where):
    schema = resolve(schema)
    bad = []
    if schema.get("type") == "object" and isinstance(value, dict):
        for r in schema.get("required", []):
            if r not in value:
                bad.append(f"{where}: missing '{r}'")
        for k, sub in schema.get("properties", {}).items():
            if k in value and value[k] is not None:
                bad += check(sub, value[k], f"{where}.{k}")
    if schema.get("type") == "array" and isinstance(value, list):
        for i, v in enumerate(value[:5]):
            bad += check(schema.get("items", {}), v, f"{where}[{i}]")
    return bad
samples = {"/api/search": "?q=Leipzig&facets=all", "/api/suggest": "?q=Lei",
           "/api/documents/{id}": None}
problems = []
for path, ops in spec["paths"].items():
    url = base + path.replace("{id}", docid) + (samples.get(path) or "")
    try:
        r = urllib.request.urlopen(url, timeout=10)
        status, body, ctype = r.status, r.read(), r.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        status, body, ctype = e.code, e.read(), ""
    if str(status) not in ops["get"]["responses"]:
        problems.append(f"{path}: status {status} not described")
        continue
    resp = resolve(ops["get"]["responses"][str(status)])
    content = resp.get("content", {})
    if "application/json" in content:
        problems += check(content["application/json"]["schema"], json.loads(body), path)
print("\n".join(problems) or "ok")
raise SystemExit(1 if problems else 0)
PY
[ $? = 0 ] && ok "every OpenAPI path answers as described" || fail "openapi: $(cat "$T/oa")"

kill -TERM "$SD_PID"
wait "$SD_PID"; rc=$?
SD_PID=
[ "$rc" = 0 ] && ok "SIGTERM: exit status 0" || fail "SIGTERM: exit status $rc: $(tail -5 "$T/sd.err")"
