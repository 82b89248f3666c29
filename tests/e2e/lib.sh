# Shared helpers for end-to-end tests: TAP output, temp dirs, binaries.
# Source it; call ok/fail/check/skip; the runner counts "ok"/"not ok" lines.
set -u
FL_BUILD=${FL_BUILD:-build}
export FL_ROOT=${FL_ROOT:-$(pwd)}
FL_SHARED=${FL_SHARED:-$FL_ROOT/../shared}
FL_RUN=${FL_RUN:-}
case "$FL_BUILD" in /*) B=$FL_BUILD ;; *) B=$FL_ROOT/$FL_BUILD ;; esac
INDEXER="$FL_RUN $B/findling-index"
CLI="$FL_RUN $B/findling"
SEARCHD="$B/findling-searchd"
T=$(mktemp -d)
SD_PIDS=   # background processes the EXIT trap stops (start_searchd adds)
_lib_cleanup() {
	local p
	for p in $SD_PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap _lib_cleanup EXIT
_n=0
ok()   { _n=$((_n + 1)); echo "ok $_n - $*"; }
fail() { _n=$((_n + 1)); echo "not ok $_n - $*"; }
skip() { _n=$((_n + 1)); echo "ok $_n # SKIP $*"; }
# check "description" command...: ok when the command exits 0
check() { local d=$1; shift; if "$@"; then ok "$d"; else fail "$d"; fi; }
# has_shared: true when ../shared/data is present (tests that need it skip otherwise)
has_shared() { [ -d "$FL_SHARED/data" ]; }

# start_searchd NAME INDEX [ARGS...]: run findling-searchd on INDEX at
# 127.0.0.1 with an ephemeral port; sets PID_<NAME> and URL_<NAME> (no
# trailing slash; empty when it did not start: $T/NAME.err says why).
# The EXIT trap stops it.
start_searchd() {
	local name=$1 idx=$2
	shift 2
	"$SEARCHD" --index "$idx" --listen 127.0.0.1:0 "$@" \
		>"$T/$name.out" 2>"$T/$name.err" &
	eval "PID_$name=$!"
	SD_PIDS="$SD_PIDS $!"
	for _ in $(seq 100); do
		grep -q '^listening on ' "$T/$name.out" && break
		sleep 0.05
	done
	eval "URL_$name=\$(sed -n 's|^listening on \(http://.*\)/\$|\1|p' \"\$T/\$name.out\")"
}
