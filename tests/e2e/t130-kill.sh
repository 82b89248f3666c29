#!/usr/bin/env bash
# Crash safety: kill -9 findling-index at random moments (FL_KILLS times,
# default 50) while it indexes news from ../shared/data (corpus/ where that
# is absent), in batches of 50 documents. After every kill the index must
# pass `findling check` and hold whole batches only; then a rerun must end
# with the same index as an uninterrupted run: documents, full-text rows,
# suggestions and term frequencies.
. "$(dirname "$0")/lib.sh"

KILLS=${FL_KILLS:-50}
BATCH=50
IN=$T/in
mkdir -p "$IN"
if has_shared; then
	head -n 1500 "$FL_SHARED/data/news-de.jsonl" > "$IN/news.jsonl"
	src="1500 news articles of ../shared/data"
else
	cp -r "$FL_ROOT/corpus/." "$IN/"
	src="corpus/ (../shared/data not found)"
fi

# dump DB: what must be equal between two indexes of the same input
dump() {
	sqlite3 "$1" "SELECT ext_id, content_hash FROM documents ORDER BY ext_id;
		SELECT 'fts', count(*) FROM docs_fts_docsize;
		SELECT key, surface, n FROM suggest ORDER BY key;
		SELECT prefix, rk, key FROM suggest_top ORDER BY prefix, rk;
		SELECT term, n FROM term_freq ORDER BY term;"
}

$INDEXER --quiet --batch $BATCH --index "$T/ref.db" "$IN" >/dev/null 2>&1
dump "$T/ref.db" > "$T/ref.dump"
total=$(sqlite3 "$T/ref.db" 'SELECT count(*) FROM documents')
t0=$(date +%s%N)
$INDEXER --quiet --batch $BATCH --index "$T/time.db" "$IN" >/dev/null 2>&1
run_ms=$(( ($(date +%s%N) - t0) / 1000000 ))

bad_check=0 bad_batch=0 kills=0 finished=0
for i in $(seq "$KILLS"); do
	rm -f "$T/k.db" "$T/k.db-wal" "$T/k.db-shm"
	$INDEXER --quiet --batch $BATCH --index "$T/k.db" "$IN" >/dev/null 2>&1 &
	pid=$!
	# a random moment within the run (RANDOM is 0..32767)
	sleep "$(awk -v r=$RANDOM -v ms="$run_ms" 'BEGIN { printf "%.3f", r / 32768 * ms / 1000 }')"
	if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); else finished=$((finished + 1)); fi
	wait "$pid" 2>/dev/null
	[ -f "$T/k.db" ] || continue
	if ! $CLI check --index "$T/k.db" > "$T/check.out" 2>&1; then
		bad_check=$((bad_check + 1))
		cp "$T/check.out" "$T/check.fail"
	fi
	n=$(sqlite3 "$T/k.db" 'SELECT count(*) FROM documents' 2>/dev/null || echo 0)
	if [ $((n % BATCH)) != 0 ] && [ "$n" != "$total" ]; then
		bad_batch=$((bad_batch + 1))
	fi
done
ok "killed $kills runs at random moments ($finished finished first) over $src"
check "every killed index passes findling check ($bad_check failed$( [ -f "$T/check.fail" ] && printf ': %s' "$(head -2 "$T/check.fail" | tr '\n' ' ')"))" test "$bad_check" = 0
check "every killed index holds whole batches of $BATCH only ($bad_batch did not)" test "$bad_batch" = 0

# The last killed index, completed by a rerun, equals the uninterrupted one.
$INDEXER --quiet --batch $BATCH --index "$T/k.db" "$IN" >/dev/null 2>&1
check "a rerun after the last kill completes" test $? = 0
dump "$T/k.db" > "$T/k.dump"
if cmp -s "$T/ref.dump" "$T/k.dump"; then
	ok "the rerun ends with the same index as an uninterrupted run"
else
	fail "the rerun differs from an uninterrupted run: $(diff "$T/ref.dump" "$T/k.dump" | head -4 | tr '\n' ' ')"
fi
check "the completed index is searchable" \
	sh -c "$CLI search --index '$T/k.db' --format json --limit 1 --no-snippets '$(sqlite3 "$T/ref.db" "SELECT title FROM documents WHERE title <> '' ORDER BY id DESC LIMIT 1" | tr -d '"' | cut -c1-40)' | jq -e '.total >= 1' >/dev/null"

# The moment the random kills rarely hit: after the last batch committed,
# before the term_freq refresh. The rerun finds every document unchanged
# and must still make term_freq from them (meta freq_generation).
cp "$T/ref.db" "$T/late.db"
sqlite3 "$T/late.db" "DELETE FROM term_freq;
	UPDATE meta SET value = value + 1 WHERE key = 'generation'"
$INDEXER --quiet --batch $BATCH --index "$T/late.db" "$IN" >/dev/null 2>&1
dump "$T/late.db" > "$T/late.dump"
check "a kill between the last batch and the term_freq refresh is made good by the rerun" \
	cmp -s "$T/ref.dump" "$T/late.dump"
