#!/usr/bin/env bash
# findling-index under stress: a 50 MB text file, 40 MB of long JSON
# records in bounded memory, kill -9 mid-run (the
# index stays as of the last committed batch and a rerun completes with the
# same final state as an uninterrupted run).
. "$(dirname "$0")/lib.sh"
q() { sqlite3 "$1" "$2"; }

# 50 MB of text in one file must index
awk 'BEGIN { for (i = 0; i < 850000; i++) printf "Zeile %d: Strukturwandel im Revier bei Görlitz und Zittau.\n", i }' > "$T/big.txt"
$INDEXER --quiet --index "$T/big.db" "$T/big.txt"
check "50 MB text file indexes (exit 0)" [ $? = 0 ]
size=$(stat -c %s "$T/big.txt")
stored=$(q "$T/big.db" "SELECT length(CAST(body AS BLOB)) FROM documents")
check "50 MB body stored whole ($size bytes)" [ "$size" -gt 50000000 -a "$stored" = "$size" ]
rm -f "$T/big.txt" "$T"/big.db*

# 40 JSON records of 1 MB each: the look-ahead ring must not hold 40 long
# documents' tokens at once, nor keep their buffers (was 892 MB peak)
awk 'BEGIN { for (r = 0; r < 40; r++) { printf "{\"id\":\"long%d\",\"title\":\"Bericht %d\",\"body\":\"", r, r; for (i = 0; i < 9000; i++) printf "Abschnitt %d: Die Fachkräftesicherung im Strukturwandel der Bergbauregion Leipzig verlangt Weiterbildungsangebote. ", i * 40 + r; printf "\"}\n" } }' > "$T/long.jsonl"
peak=$(python3 -c 'import resource, subprocess, sys
rc = subprocess.call(sys.argv[1:])
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024 if rc == 0 else -1)' \
	$INDEXER --quiet --index "$T/long.db" "$T/long.jsonl")
if [ -n "${FL_RUN:-}" ] || grep -q __asan_init "$B/findling-index" 2>/dev/null; then
	# ASan (quarantine, shadow) and valgrind make RSS meaningless
	check "40 records of 1 MB index (RSS not checked under ASan or valgrind)" [ "$peak" -ge 0 ]
else
	check "40 records of 1 MB index with peak RSS $peak MB <= 400 MB" [ "$peak" -ge 0 -a "$peak" -le 400 ]
fi
check "all 40 long records stored" [ "$(q "$T/long.db" "SELECT count(*) FROM documents")" = 40 ]
rm -f "$T/long.jsonl" "$T"/long.db*

# generated input: 20000 small JSON records
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "{\"id\":\"g%d\",\"title\":\"Meldung %d\",\"date\":\"2024-01-%02d\",\"body\":\"Die Stadt Halle meldet %d neue Ausbildungsplätze im Bereich Wasserstoff und Chemie, Leuna Merseburg Bitterfeld.\"}\n", i, i, i % 28 + 1, i }' > "$T/gen.jsonl"
$INDEXER --quiet --batch 200 --index "$T/ref.db" "$T/gen.jsonl"
check "reference run" [ $? = 0 ]

$INDEXER --quiet --batch 200 --index "$T/k.db" "$T/gen.jsonl" &
pid=$!
for _ in $(seq 1 200); do
	n=$(sqlite3 "$T/k.db" "SELECT count(*) FROM documents" 2>/dev/null || echo 0)
	[ "${n:-0}" -ge 400 ] && break
	sleep 0.02
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
n=$(sqlite3 "$T/k.db" "SELECT count(*) FROM documents")
check "killed mid-run: index holds whole batches ($n docs)" [ $((n % 200)) = 0 ]
check "killed mid-run: --check passes" $INDEXER --index "$T/k.db" --check
$INDEXER --quiet --batch 200 --index "$T/k.db" "$T/gen.jsonl"
check "rerun after kill completes" [ $? = 0 ]
state() { sqlite3 "$1" "SELECT ext_id, content_hash FROM documents ORDER BY ext_id" | md5sum; }
check "rerun reaches the same final state" [ "$(state "$T/k.db")" = "$(state "$T/ref.db")" ]
check "--check after rerun" $INDEXER --index "$T/k.db" --check
