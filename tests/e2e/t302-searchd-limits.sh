#!/usr/bin/env bash
# findling-searchd at its edges: --www DIR cannot be left (symlinks out of
# DIR, %2e%2e, encoded slashes, absolute paths, hidden files, NUL), the
# connection limits (64 per IP: one more is closed at once; 512 in total:
# one more waits unanswered until a slot frees) and slow clients: a silent
# half request and a client trickling header lines are both cut after
# --timeout while /health keeps answering. Loopback only; every loop is
# bounded in count and every socket in time.
. "$(dirname "$0")/lib.sh"

if [ ! -x "$SEARCHD" ] || [ ! -x "$B/findling-index" ]; then
	skip "findling-searchd or findling-index not built"
	exit 0
fi
command -v curl >/dev/null || { skip "curl not installed"; exit 0; }
command -v python3 >/dev/null || { skip "python3 not installed"; exit 0; }


printf '{"id":"a","title":"Haushalt","body":"Der Stadtrat beschließt den Haushalt."}\n' >"$T/docs.jsonl"
$INDEXER --quiet --index "$T/idx.db" "$T/docs.jsonl" >/dev/null 2>&1
[ $? -le 1 ] || { fail "index a test document"; exit 1; }

# start NAME ARGS...: the daemon on $T/idx.db (start_searchd, lib.sh)
start() {
	local name=$1

	shift
	start_searchd "$name" "$T/idx.db" "$@"
}

# ---- --www DIR: no way out ----
mkdir -p "$T/www/sub"
printf '<!doctype html><title>Test</title>\n' >"$T/www/index.html"
printf 'GEHEIM-1\n' >"$T/secret.txt"
printf 'GEHEIM-2\n' >"$T/www/.hidden"
printf 'GEHEIM-3\n' >"$T/www/sub/inner.txt"
ln -s ../secret.txt "$T/www/out.txt"
ln -s "$T/secret.txt" "$T/www/abs.txt"
ln -s index.html "$T/www/in.html"
ln -s "$T" "$T/www/up"
start www --www "$T/www"
U=$URL_www
[ -n "$U" ] || { fail "daemon with --www did not start: $(cat "$T/www.err")"; exit 1; }
# code PATH: status of GET PATH (sent as is), body in $T/body
code() { curl -s --path-as-is --max-time 5 -o "$T/body" -w '%{http_code}' "$U$1"; }
check "--www: index.html is served" test "$(code /)" = 200
check "--www: a symlink to a file inside DIR is served" test "$(code /in.html)" = 200
for p in /out.txt /abs.txt /up/secret.txt /sub/inner.txt /.hidden /%2ehidden \
	/%2e%2e/secret.txt /..%2fsecret.txt /%2e%2e%2fsecret.txt /../secret.txt \
	/sub/../../secret.txt //etc/passwd /%2fetc%2fpasswd /%2Fetc/passwd \
	'/..%5csecret.txt' /index.html%00.txt /sub /up; do
	c=$(code "$p")
	if [ "$c" -ge 400 ] && [ "$c" -lt 500 ] && ! grep -q GEHEIM "$T/body" &&
	   ! grep -q 'root:' "$T/body"; then
		ok "--www: $p refused ($c)"
	else
		fail "--www: $p answered $c: $(head -c 100 "$T/body")"
	fi
done

# ---- connection limits and slow clients (python: raw sockets) ----
start main --threads 4 --timeout 2
[ -n "$URL_main" ] || { fail "daemon did not start: $(cat "$T/main.err")"; exit 1; }
PORT=${URL_main##*:}
timeout 90 python3 - "$PORT" <<'PY'
import os, socket, sys, time
sys.path.insert(0, os.path.join(os.environ["FL_ROOT"], "tests", "e2e"))
import rawhttp
PORT = int(sys.argv[1])
n = 0
def ok(cond, desc):
    global n
    n += 1
    print(("ok " if cond else "not ok ") + "%d - %s" % (n, desc))

def conn(src="127.0.0.1", timeout=3.0):
    return rawhttp.conn(PORT, src, timeout)

def get(s, path="/health"):
    """Status line of one keep-alive request, 'EOF' when closed, or the error."""
    try:
        s.sendall(b"GET " + path.encode() + b" HTTP/1.1\r\nHost: t\r\n\r\n")
        head, _ = rawhttp.read_answer(s, 4096)
        return "EOF" if head is None else head.split(b"\r\n")[0].decode()
    except OSError as e:
        return "EOF" if isinstance(e, (ConnectionResetError, BrokenPipeError)) else type(e).__name__

def health_ok():
    s = conn()
    try:
        return get(s) == "HTTP/1.1 200 OK"
    finally:
        s.close()

# per IP: 64 from 127.0.0.1 are held; the 65th is closed without an answer
held = [conn() for _ in range(64)]
ok(all(get(s) == "HTTP/1.1 200 OK" for s in held[:3]), "64 connections from one IP are served")
extra = conn()
ok(get(extra) == "EOF", "the 65th connection from the same IP is closed without an answer")
extra.close()
ok(get(conn("127.0.0.2")) == "HTTP/1.1 200 OK",
   "another IP (127.0.0.2) is still served")
ok(get(held[10]) == "HTTP/1.1 200 OK", "a held connection still gets answers at the limit")
for s in held[:5]:
    s.close()
time.sleep(0.3)
ok(health_ok(), "after 5 close, the same IP is served again")
for s in held:
    s.close()
time.sleep(0.3)

# total: 512 held from 9 addresses (at most 64 each); one more gets no answer
# until a held one closes (it waits in the listen queue)
held = []
for i in range(512):
    held.append(conn("127.0.1.%d" % (1 + i // 60)))
time.sleep(0.3)
ok(get(held[0]) == "HTTP/1.1 200 OK" and get(held[-1]) == "HTTP/1.1 200 OK",
   "512 connections from 9 addresses are served")
waiting = conn("127.0.2.1", timeout=1.0)
ok(get(waiting) == "TimeoutError", "connection 513 gets no answer while 512 are open")
waiting.settimeout(5.0)
for s in held[:8]:
    s.close()
try:
    status = waiting.recv(100).split(b"\r\n")[0].decode()
except OSError as e:
    status = type(e).__name__
ok(status == "HTTP/1.1 200 OK", "it is answered once connections close (got %r)" % status)
waiting.close()
for s in held:
    s.close()
time.sleep(0.3)

# slow clients (daemon runs with --timeout 2)
silent = conn(timeout=8.0)
silent.sendall(b"GET /health HTTP/1.1\r\nHost: t\r\n")
t0 = time.time()
try:
    data = silent.recv(100)
except OSError:
    data = b"?"
took = time.time() - t0
ok(data == b"" and 1.5 < took < 5, "a silent half request is closed after the timeout (%.1f s)" % took)

loris = conn(timeout=8.0)
loris.sendall(b"GET /health HTTP/1.1\r\n")
t0, cut, answered, fast = time.time(), None, True, conn()
for i in range(40):                       # at most 40 x 0.25 s
    time.sleep(0.25)
    try:
        loris.sendall(b"X-Slow-%d: a\r\n" % i)
    except OSError:
        cut = time.time() - t0
        break
    if i % 4 == 0:
        answered = answered and get(fast) == "HTTP/1.1 200 OK"
if cut is None:                           # a write may still succeed once after the cut
    try:
        loris.settimeout(3.0)
        cut = time.time() - t0 if loris.recv(100) == b"" else None
    except OSError:
        cut = time.time() - t0
ok(cut is not None and cut < 6, "a client trickling header lines is cut (after %s s)" %
   ("%.1f" % cut if cut else "never"))
ok(answered, "/health answered on a keep-alive connection all the while")
ok(get(fast) == "HTTP/1.1 200 OK", "a busy keep-alive connection is not cut by the header deadline")
fast.close()
ok(health_ok(), "the daemon still serves new connections afterwards")
PY
[ $? = 0 ] || fail "the connection checks did not finish"
m=$(curl -s --max-time 5 "$URL_main/metrics")
check "/metrics counts the swept slow connections" \
	sh -c "printf '%s\n' '$m' | grep -Eq '^findling_connections_swept_total [1-9]'"
check "MHD logged the per-IP limit" grep -q 'connection limit' "$T/main.err"
check "no panic or sanitizer report" sh -c "! grep -Eqi 'panic|sanitizer|runtime error' '$T/main.err'"

# ---- the response cache: hit on repeat, stale after a write, off with 0 ----
start cache --threads 2
start nocache --threads 2 --cache-mb 0
# xc URL: the X-Cache header value and the total, as "VALUE TOTAL"
xc() {
	curl -s --max-time 5 -D "$T/xh" -o "$T/xb" "$1" >/dev/null
	printf '%s %s' "$(sed -n 's/^X-Cache: \([a-z]*\).*/\1/p' "$T/xh")" \
		"$(python3 -c "import json; print(json.load(open('$T/xb')).get('total', '-'))" 2>/dev/null)"
}
Q="/api/search?q=Haushalt"
check "cache: first search is a miss" test "$(xc "$URL_cache$Q")" = "miss 1"
check "cache: the same search again is a hit" test "$(xc "$URL_cache$Q")" = "hit 1"
check "cache: another parameter is another entry" test "$(xc "$URL_cache$Q&limit=5")" = "miss 1"
check "cache: suggest is cached too" \
	sh -c "curl -s -D - -o /dev/null '$URL_cache/api/suggest?q=Haus' >/dev/null;
	       curl -s -D - -o /dev/null '$URL_cache/api/suggest?q=Haus' | grep -q '^X-Cache: hit'"
printf '{"id":"b","title":"Haushaltsrede","body":"Der Haushalt ist beschlossen."}\n' >"$T/more.jsonl"
$INDEXER --quiet --index "$T/idx.db" "$T/more.jsonl" >/dev/null 2>&1
check "cache: after a committed write the entry is stale (miss, new total)" \
	test "$(xc "$URL_cache$Q")" = "miss 2"
check "cache: then a hit again" test "$(xc "$URL_cache$Q")" = "hit 2"
check "cache: errors are never cached" \
	sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' '$URL_cache/api/search?q=x&limit=0')\" = 400 ] &&
	       ! curl -s -D - -o /dev/null '$URL_cache/api/search?q=x&limit=0' | grep -q '^X-Cache: hit'"
check "cache: --cache-mb 0 answers without X-Cache" test "$(xc "$URL_nocache$Q")" = " 2"
check "/metrics counts cache hits" \
	sh -c "curl -s '$URL_cache/metrics' | grep -Eq '^findling_cache_hits_total [1-9]'"
