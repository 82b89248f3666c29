#!/usr/bin/env bash
# Compound part tokens carry the byte range of their piece in the word
# (the surface column of `findling analyze` is text[start:end]), so
# highlighting marks Bildungs<mark>monitoring</mark>, not the whole word.
# Splitting needs the system word list (/usr/share/dict/ngerman).
. "$(dirname "$0")/lib.sh"
if [ ! -r /usr/share/dict/ngerman ]; then
	skip "no /usr/share/dict/ngerman: compounds are not split"
	exit 0
fi

out=$($CLI analyze 'Das Bildungsmonitoring' 2>&1)
check "analyze runs" test $? = 0
part() { printf '%s\n' "$out" | awk -F'\t' -v t="$1" '$2 == t && $4 ~ /part/ { print $5; exit }'; }
check "head part covers its piece ($(part monitoring))" test "$(part monitoring)" = monitoring
check "modifier covers its piece with the linking s ($(part bildung))" test "$(part bildung)" = Bildungs
whole=$(printf '%s\n' "$out" | awk -F'\t' '$2 == "bildungsmonitoring" { print $5; exit }')
check "the word itself keeps the whole range" test "$whole" = Bildungsmonitoring
# umlauts: byte ranges stay on character boundaries
out=$($CLI analyze 'Weiterbildungsmaßnahmen' 2>&1)
check "part after ß-free piece (maßnahmen)" test "$(part massnahmen)" = maßnahmen
