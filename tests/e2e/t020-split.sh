#!/usr/bin/env bash
# findling analyze --split: output format (word<TAB>pieces in the casing
# given), arguments and stdin mode, frequencies file, bad options.
. "$(dirname "$0")/lib.sh"

out=$($CLI analyze --split Wärmeschutz Leipzig 2>&1)
check "exit status 0" test $? = 0
check "pieces keep the given casing" \
	test "$(printf '%s\n' "$out" | sed -n 1p)" = "$(printf 'Wärmeschutz\tWärme+schutz')" \
	-o ! -r /usr/share/dict/ngerman
check "protected name stays whole" \
	test "$(printf '%s\n' "$out" | sed -n 2p)" = "$(printf 'Leipzig\tLeipzig')"

printf 'Bildungsmonitoring\n\nMagdeburg\r\n' > "$T/in"
out=$($CLI analyze --split < "$T/in")
check "stdin: one line per non-empty word" test "$(printf '%s\n' "$out" | wc -l)" = 2
check "stdin: domain word split" \
	test "$(printf '%s\n' "$out" | sed -n 1p)" = "$(printf 'Bildungsmonitoring\tBildungs+monitoring')"
check "stdin: CR stripped, name whole" \
	test "$(printf '%s\n' "$out" | sed -n 2p)" = "$(printf 'Magdeburg\tMagdeburg')"

# every output line re-joins to its word
printf 'Güterverkehrskonzept\nXyzzy\nBeratungsangebote\n' > "$T/in2"
bad=$($CLI analyze --split < "$T/in2" | awk -F'\t' '{ p = $2; gsub(/\+/, "", p); if (p != $1) print }')
check "pieces concatenate to the word" test -z "$bad"

printf 'wärme\t100\nschutz\t50\n' > "$T/freq"
out=$($CLI analyze --split --freq "$T/freq" Wärmeschutz)
check "--freq accepted" test $? = 0 -a -n "$out"

$CLI analyze --split --freq "$T/missing" Wort > /dev/null 2>&1
check "missing --freq file is an error" test $? = 2
$CLI analyze --split --bogus Wort > /dev/null 2>&1
check "unknown option is a usage error" test $? = 2
out=$($CLI analyze --split --dict /nonexistent Kitamonitoring)
check "missing dictionary is not fatal (domain words still split)" \
	test "$out" = "$(printf 'Kitamonitoring\tKita+monitoring')"
