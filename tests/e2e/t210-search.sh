#!/usr/bin/env bash
# findling search/get/stats/explain/suggest end to end against corpus/:
# exit codes, the JSON wire format, facet counts against SQL, snippet
# escaping and marks, hostile queries, must-find pairs.
. "$(dirname "$0")/lib.sh"
DB=$T/c.db
if ! $INDEXER --quiet --index "$DB" "$FL_ROOT/corpus" > "$T/idx.log" 2>&1; then
	[ -s "$DB" ] || { fail "indexing corpus/"; exit 0; }
fi
ok "corpus indexed"
S="$CLI search --index $DB"

$CLI search --index "$T/missing.db" Leipzig > /dev/null 2>&1
check "missing index exits 2" test $? = 2
$S --limit 500 Leipzig > /dev/null 2>&1
check "bad --limit exits 2" test $? = 2
$S zzqqxxnothing > /dev/null
check "no hits exits 0" test $? = 0

# jqq ARGS...: jq -e without printing the value
jqq() { jq -e "$@" > /dev/null; }
$S --format json --facets source,type,year,month Leipzig > "$T/l.json"
check "json parses with the wire fields" jqq \
	'.query and .interpreted and (.total|type=="number") and .took_ms!=null and (.hits|type=="array") and .facets and has("suggestion")' "$T/l.json"
check "hits have snippet fields" jqq \
	'all(.hits[]; has("id") and has("snippet") and has("snippet_text") and has("marks") and has("score"))' "$T/l.json"
total=$(jq .total "$T/l.json")
fsum=$(jq '[.facets.type[].count]|add // 0' "$T/l.json")
check "type facet counts sum to total ($fsum = $total)" test "$fsum" = "$total"
src=$(jq -r '.facets.source[0].value // empty' "$T/l.json")
if [ -n "$src" ]; then
	fc=$(jq ".facets.source[0].count" "$T/l.json")
	n=$($S --format json --filter "source=$src" Leipzig | jq .total)
	check "source facet count = filtered total ($fc = $n)" test "$fc" = "$n"
else
	skip "no source facet"
fi
check "marks lie inside snippet_text" jqq \
	'all(.hits[]; .snippet_text as $t | all(.marks[]; .[0] < .[1] and .[1] <= ($t|length)))' "$T/l.json"
check "marked text is the query word" jqq \
	'[.hits[] | .snippet_text as $t | .marks[] | $t[.[0]:.[1]] | ascii_downcase | test("leipzig")] | all' "$T/l.json"

for q in '"' '((((' 'NOT' '-' '*' 'a*' 'title:' 'date:..' "$(printf 'x\001y')" '""""' 'OR OR AND' ; do
	$S --format json -- "$q" > "$T/h.json" 2>&1
	rc=$?
	if [ $rc = 0 ] && jq -e . "$T/h.json" > /dev/null; then ok "hostile query '$q'"; else fail "hostile query '$q' (rc $rc)"; fi
done

a=$($S --format json München | jq .total)
b=$($S --format json Muenchen | jq .total)
check "München = Muenchen ($a = $b)" test "$a" = "$b"
$S --format csv --limit 3 Leipzig > "$T/l.csv"
check "csv header" test "$(head -1 "$T/l.csv" | tr -d '\r')" = "id,title,url,date,source,type,score,snippet"
$S --format kwic Leipzig > /dev/null
check "kwic runs" test $? = 0
id=$(jq -r '.hits[0].id // empty' "$T/l.json")
if [ -n "$id" ]; then
	$CLI get --index "$DB" --format json "$id" | jq -e ".id == \"$id\"" > /dev/null
	check "get returns the hit" test $? = 0
fi
$CLI stats --index "$DB" --format json | jq -e '.documents > 0 and .schema_version >= 1' > /dev/null
check "stats" test $? = 0
$CLI explain --index "$DB" Leipzig Schule > /dev/null
check "explain" test $? = 0
$CLI suggest --index "$DB" --format json lei | jq -e '.suggestions|type=="array"' > /dev/null
check "suggest json" test $? = 0
