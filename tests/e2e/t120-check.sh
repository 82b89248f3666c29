#!/usr/bin/env bash
# findling check: a sound index passes; an index whose documents and
# full-text rows disagree, a foreign analyzer version, a missing file and
# a non-Findling database are each reported in plain words with the right
# exit code (0 sound, 1 a check failed, 2 unusable).
. "$(dirname "$0")/lib.sh"

I=$T/idx.db
$INDEXER --quiet --index "$I" "$FL_ROOT/corpus" >/dev/null 2>&1
$CLI check --index "$I" > "$T/out" 2>&1
check "a fresh index is consistent (exit 0)" test $? = 0
check "check names the document count" grep -q 'consistent: 54 documents' "$T/out"
check "json: ok true" sh -c "$CLI check --index '$I' --format json | jq -e '.ok == true and .documents == 54' >/dev/null"

sqlite3 "$I" "DELETE FROM documents WHERE ext_id = 'feed:0001'"
$CLI check --index "$I" > "$T/out" 2>&1
check "a document row deleted behind the index's back fails (exit 1)" test $? = 1
check "the report says what to do" grep -q 'NOT consistent: .*rebuild it with findling-index --rebuild' "$T/out"
check "the report counts the index entry without its document" grep -q '1 index entries without their document' "$T/out"
check "json: ok false with the problem" sh -c "$CLI check --index '$I' --format json | jq -e '.ok == false and (.problem | test(\"rebuild\"))' >/dev/null"
$INDEXER --quiet --index "$I" --rebuild >/dev/null 2>&1
check "after --rebuild the index is consistent again" $CLI check --index "$I"

sqlite3 "$I" "INSERT INTO documents(ext_id, title, body, content_hash, indexed_at) VALUES ('ghost', 'Geist', 'Nie indexiert', 'x', '2026-01-01T00:00:00Z')"
$CLI check --index "$I" > "$T/out" 2>&1
check "a document missing from the full-text index fails (exit 1)" test $? = 1
check "the report counts the missing document" grep -q '1 documents missing from the full-text index' "$T/out"
$INDEXER --quiet --index "$I" --rebuild >/dev/null 2>&1

sqlite3 "$I" "UPDATE meta SET value = 'german-0/other' WHERE key = 'analyzer_version'"
$CLI check --index "$I" > "$T/out" 2>&1
check "an index of another analyzer version fails (exit 1)" test $? = 1
check "and is told to rebuild" grep -q 'another schema or analyzer version: rebuild' "$T/out"

$CLI check --index "$T/none.db" > "$T/out" 2>&1
check "a missing index is a usage error (exit 2)" test $? = 2
sqlite3 "$T/foreign.db" "CREATE TABLE x(y)"
$CLI check --index "$T/foreign.db" > "$T/out" 2>&1
check "a non-Findling database is refused (exit 2)" test $? = 2
check "saying it is not a findling index" grep -q 'not a findling index' "$T/out"
