#!/usr/bin/env bash
# The suggest table is kept by the indexing analysis itself (fl_tally,
# flushed at every commit): adding, changing and pruning documents must
# leave exactly what a fresh index of the same files has, and completions
# must follow (compound parts included, capitalised inside nouns).
. "$(dirname "$0")/lib.sh"
q() { sqlite3 "$1" "$2"; }
D=$T/docs
mkdir -p "$D"
printf 'Fachkräfte gesucht\n\nDer Fachkräftemangel trifft das Bildungsmonitoring.\n' > "$D/a.txt"
printf 'Mangel an Fachkräften\n\nFachkräfte fehlen überall, sagt das Monitoring.\n' > "$D/b.txt"
DB=$T/i.db
$INDEXER --quiet --index "$DB" "$D" > /dev/null 2>&1
check "first run indexes" test "$(q "$DB" 'SELECT count(*) FROM documents')" = 2
n=$(q "$DB" "SELECT n FROM suggest WHERE key = 'fachkraefte'")
# a: title + body + the part of Fachkräftemangel; b: body
check "surface counted over both documents (n=$n)" test "$n" = 4
s=$(q "$DB" "SELECT surface FROM suggest WHERE key = 'monitoring'")
check "compound part suggested capitalised ($s)" test "$s" = Monitoring
$CLI suggest --index "$DB" --format json fachk | jq -e \
	'[.suggestions[].word] | index("Fachkräfte") != null' > /dev/null
check "suggest completes fachk -> Fachkräfte" test $? = 0

printf 'Lehrkräfte\n\nLehrkräfte und Fachkräfte im Gespräch.\n' > "$D/c.txt"
$INDEXER --quiet --index "$DB" "$D" > /dev/null 2>&1
n=$(q "$DB" "SELECT n FROM suggest WHERE key = 'fachkraefte'")
check "added document counts (n=$n)" test "$n" = 5
check "new word suggested" test "$(q "$DB" "SELECT n FROM suggest WHERE key = 'lehrkraefte'")" = 3
$CLI suggest --index "$DB" --format json lehr | jq -e \
	'[.suggestions[].word] | index("Lehrkräfte") != null' > /dev/null
check "completion list of a new prefix" test $? = 0

rm "$D/c.txt"
printf 'Fachkräfte gesucht\n\nDer Mangel trifft das Monitoring.\n' > "$D/a.txt"
touch -d '+1 minute' "$D/a.txt"
$INDEXER --quiet --prune --index "$DB" "$D" > /dev/null 2>&1
check "prune removed the document" test "$(q "$DB" 'SELECT count(*) FROM documents')" = 2
check "words of the pruned document are gone" \
	test -z "$(q "$DB" "SELECT n FROM suggest WHERE key = 'lehrkraefte'")"
check "gone from the completion lists" \
	test -z "$(q "$DB" "SELECT 1 FROM suggest_top WHERE key = 'lehrkraefte'")"
check "changed document recounted" \
	test -z "$(q "$DB" "SELECT n FROM suggest WHERE key = 'fachkraeftemangel'")"

F=$T/fresh.db
$INDEXER --quiet --index "$F" "$D" > /dev/null 2>&1
a=$(q "$DB" "SELECT key, n FROM suggest ORDER BY key" | md5sum)
fresh=$(q "$F" "SELECT key, n FROM suggest ORDER BY key" | md5sum)
check "incremental suggest equals a fresh index" test "$a" = "$fresh"
a=$(q "$DB" "SELECT prefix, rk, key, n FROM suggest_top ORDER BY 1, 2" | md5sum)
b=$(q "$F" "SELECT prefix, rk, key, n FROM suggest_top ORDER BY 1, 2" | md5sum)
check "incremental suggest_top equals a fresh index" test "$a" = "$b"

# --rebuild re-analyses with the corpus frequencies (term_freq), which can
# split differently from a first run: compare two rebuilt indexes
$INDEXER --quiet --rebuild --index "$DB" > /dev/null 2>&1
$INDEXER --quiet --rebuild --index "$F" > /dev/null 2>&1
a=$(q "$DB" "SELECT key, n FROM suggest ORDER BY key" | md5sum)
b=$(q "$F" "SELECT key, n FROM suggest ORDER BY key" | md5sum)
check "--rebuild recounts the words" test "$a" = "$b"
check "--rebuild keeps the suggest table filled" \
	test "$(q "$DB" "SELECT n FROM suggest WHERE key = 'monitoring'")" = 2
