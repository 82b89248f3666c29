#!/bin/sh
# Fails when lib/ includes a program's header or code calls a banned function.
set -u
rc=0
if grep -n -E '#include +"(\.\./)?(indexer|searchd|cli)/' lib/*.c lib/*.h 2>/dev/null; then
	echo "check-style: lib/ must not include program headers" >&2
	rc=1
fi
for f in lib/*.c indexer/*.c cli/*.c searchd/*.c; do
	[ -f "$f" ] || continue
	grep -q '#include "fl_banned.h"' "$f" || {
		echo "check-style: $f does not include fl_banned.h" >&2
		rc=1
	}
done
exit $rc
