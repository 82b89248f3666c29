# Shared helpers for end-to-end tests: TAP output, temp dirs, binaries.
# Source it; call ok/fail/check/skip; the runner counts "ok"/"not ok" lines.
set -u
FL_BUILD=${FL_BUILD:-build}
FL_ROOT=${FL_ROOT:-$(pwd)}
FL_SHARED=${FL_SHARED:-$FL_ROOT/../shared}
FL_RUN=${FL_RUN:-}
case "$FL_BUILD" in /*) B=$FL_BUILD ;; *) B=$FL_ROOT/$FL_BUILD ;; esac
INDEXER="$FL_RUN $B/findling-index"
CLI="$FL_RUN $B/findling"
SEARCHD="$B/findling-searchd"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
_n=0
ok()   { _n=$((_n + 1)); echo "ok $_n - $*"; }
fail() { _n=$((_n + 1)); echo "not ok $_n - $*"; }
skip() { _n=$((_n + 1)); echo "ok $_n # SKIP $*"; }
# check "description" command...: ok when the command exits 0
check() { local d=$1; shift; if "$@"; then ok "$d"; else fail "$d"; fi; }
# has_shared: true when ../shared/data is present (tests that need it skip otherwise)
has_shared() { [ -d "$FL_SHARED/data" ]; }
