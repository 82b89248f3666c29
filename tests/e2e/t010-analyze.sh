#!/usr/bin/env bash
# Golden tests for `findling analyze` (Groonga style): for every
# tests/golden/analyze/NAME.txt, run `findling analyze $(cat NAME.args) <
# NAME.txt` and compare with NAME.expected. They run WITHOUT the system word
# list (--dict on a path that does not exist), so they pin the analyzer's
# own rules (normalisation, gender, hyphens, stopwords, dictionary-free
# fallbacks) and do not change when the word list or the splitter does;
# compound splitting is covered by tests/unit/test_analyze.c and t020.
# FL_GOLDEN_UPDATE=1 rewrites the .expected files (review the diff).
. "$(dirname "$0")/lib.sh"
G=$FL_ROOT/tests/golden/analyze
nodict=$G/no-such-word-list

for in in "$G"/*.txt; do
	name=$(basename "$in" .txt)
	args=()
	[ -f "$G/$name.args" ] && read -r -a args < "$G/$name.args"
	if ! $CLI analyze --dict "$nodict" "${args[@]}" < "$in" \
		> "$T/$name.out" 2> "$T/err"; then
		fail "analyze $name: exit status $? ($(head -1 "$T/err"))"
		continue
	fi
	if [ "${FL_GOLDEN_UPDATE:-0}" = 1 ]; then
		cp "$T/$name.out" "$G/$name.expected"
	fi
	if diff -u "$G/$name.expected" "$T/$name.out" > "$T/diff"; then
		ok "analyze $name"
	else
		fail "analyze $name differs from $name.expected"
		sed 's/^/# /' "$T/diff" | head -40
	fi
done

# Command-line behaviour that does not depend on the word list.
out=$($CLI analyze "Straße" | cut -f2 | head -1)
check "analyze TEXT from arguments" test "$out" = strasse
out=$(printf 'Stra\xc3\x9fe' | $CLI analyze --prefix | cut -f2)
check "analyze --prefix from stdin" test "$out" = strasse
$CLI analyze --bogus x > /dev/null 2>&1
check "unknown option is a usage error" test $? = 2
out=$(printf 'a\xffb' | $CLI analyze | cut -f1 | sort -u | wc -l)
check "invalid UTF-8 separates words" test "$out" = 2
