#!/usr/bin/env bash
# The search page in a real browser: headless Chromium (Debian's chromium,
# driven by playwright-core from tests/browser) against findling-searchd on
# an index of corpus/. tests/browser/page.test.js types into the search box,
# picks a suggestion with the keyboard, checks highlighted snippets, a
# facet, paging, back/forward, "Meinten Sie", sorting and that document
# text with <script>/<b> is shown as text; it saves screenshots.
#
# Needs chromium, node/npm and tests/browser/node_modules. When they are
# missing and we run as root, they are installed (apt-get install chromium
# nodejs npm; npm ci from tests/browser/package-lock.json), each bounded in
# time; FL_NO_INSTALL=1 prevents that. Without them the test SKIPs.
# FL_SHOTS=DIR keeps the screenshots (default: the temp dir, removed).
. "$(dirname "$0")/lib.sh"

BR=$FL_ROOT/tests/browser
CHROMIUM=${FL_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$SEARCHD" ] || [ ! -x "$B/findling-index" ]; then
	skip "findling-searchd or findling-index not built"
	exit 0
fi

# ---- the browser and the driver, installed when possible ----
can_install() { [ "${FL_NO_INSTALL:-0}" != 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }
missing=
[ -x "$CHROMIUM" ] || missing="$missing chromium"
command -v node >/dev/null || missing="$missing nodejs"
command -v npm >/dev/null || missing="$missing npm"
if [ -n "$missing" ] && can_install; then
	echo "# installing$missing with apt-get (at most 300 s)"
	timeout 300 env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing \
		>"$T/apt.log" 2>&1 ||
		timeout 300 sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq $missing" >>"$T/apt.log" 2>&1 ||
		echo "# apt-get failed: $(tail -2 "$T/apt.log" | tr '\n' ' ')"
fi
if [ ! -x "$CHROMIUM" ] || ! command -v node >/dev/null; then
	skip "browser test: chromium ($CHROMIUM) or node missing (apt-get install chromium nodejs npm; as root the test installs them)"
	exit 0
fi
if [ ! -d "$BR/node_modules/playwright-core" ] && command -v npm >/dev/null &&
   [ "${FL_NO_INSTALL:-0}" != 1 ]; then
	echo "# installing playwright-core into tests/browser/node_modules (npm ci)"
	(cd "$BR" && timeout 180 npm ci --no-audit --no-fund --loglevel=error) >"$T/npm.log" 2>&1 ||
		echo "# npm ci failed: $(tail -2 "$T/npm.log" | tr '\n' ' ')"
fi
if [ ! -d "$BR/node_modules/playwright-core" ]; then
	skip "browser test: tests/browser/node_modules missing (cd tests/browser && npm ci)"
	exit 0
fi

# ---- the daemon on an index of corpus/ ----
$INDEXER --quiet --index "$T/idx.db" "$FL_ROOT/corpus" >/dev/null 2>&1
[ $? -le 1 ] || { fail "index corpus/"; exit 1; }
start_searchd sd "$T/idx.db" --threads 2
SD_PID=$PID_sd
U=$URL_sd
[ -n "$U" ] || { fail "daemon did not start: $(cat "$T/sd.err")"; exit 1; }

SHOTS=${FL_SHOTS:-$T/shots}
mkdir -p "$SHOTS" "$T/tmp"
# The whole browser run is bounded (page.test.js also caps itself).
TMPDIR=$T/tmp FL_CHROMIUM=$CHROMIUM timeout 180 node "$BR/page.test.js" "$U" "$SHOTS" \
	>"$T/browser.log" 2>&1
rc=$?
cat "$T/browser.log"
if [ "$rc" != 0 ] && ! grep -q '^not ok' "$T/browser.log"; then
	fail "browser test exited with status $rc"
fi
for f in suggestions results escaping; do
	check "screenshot $f.png written (PNG)" \
		sh -c "head -c 8 '$SHOTS/$f.png' 2>/dev/null | grep -q PNG"
done
[ -n "${FL_SHOTS:-}" ] && echo "# screenshots in $SHOTS"
exit 0
