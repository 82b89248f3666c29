#!/usr/bin/env bash
# findling-index: formats, bad inputs skipped and reported, exit codes,
# idempotence, updates, --prune, --check, stdin, analyzer mismatch.
. "$(dirname "$0")/lib.sh"
FIX=$FL_ROOT/tests/fixtures/index
DB=$T/i.db
q() { sqlite3 "$DB" "$@"; }
run_idx() { $INDEXER --index "$DB" "$@" > "$T/out" 2> "$T/err"; echo $? > "$T/rc"; }
rc() { cat "$T/rc"; }

mkdir -p "$T/in/sub" "$T/in/.hidden"
# Windows-1252 text: G\xf6rlitz must become UTF-8 Görlitz
printf 'Stadtportrait\n\nDie Stadt G\xf6rlitz liegt an der Nei\xdfe.\n' > "$T/in/latin1.txt"
cat > "$T/in/sub/artikel.md" <<'MD'
---
title: "Kohleausstieg im Revier"
date: 2024-02-20
source: Testblatt
type: news
---
# Überschrift im Text

Der **Strukturwandel** in der [Lausitz](https://example.org) geht weiter.

| Jahr | Stellen |
|------|---------|
| 2024 | 250     |
MD
cat > "$T/in/seite.html" <<'HTML'
<!DOCTYPE html><html><head><meta charset="utf-8"><title>Wasserstoff in Leuna</title>
<meta name="description" content="Die erste Leitung ist in Betrieb.">
<meta property="og:site_name" content="Testportal">
<meta property="article:published_time" content="2026-02-09T07:00:00+01:00">
<link rel="canonical" href="https://example.org/leuna"></head>
<body><nav>Menü Startseite</nav><article><h1>Wasserstoff</h1><p>Leitung nach Leuna.</p>
<script>var tracking = 1;</script></article><footer>Impressum</footer></body></html>
HTML
printf '<html><head><title>Nur ein Titel</title></head></html>' > "$T/in/nobody.html"
: > "$T/in/empty.txt"
printf '{"id":"j1","title":"Erster","date":"2024-04-07","source":"x","body":"Halle an der Saale"}\n{"id": broken\n{"id":"j2","title":null,"date":null,"body":"Magdeburg an der Elbe"}\n{"title":"ohne id","body":"x"}\n' > "$T/in/feed.jsonl"
cp "$FIX/bericht.pdf" "$FIX/encrypted.pdf" "$T/in/"
head -c 300 "$FIX/bericht.pdf" > "$T/in/truncated.pdf"
ln -s "$T/nowhere.txt" "$T/in/dangling.txt"
mkfifo "$T/in/fifo.txt"
echo "geheim" > "$T/in/.hidden/secret.txt"
echo "ignored" > "$T/in/bild.png"

run_idx "$T/in"
check "bad inputs give exit 1" [ "$(rc)" = 1 ]
check "summary counts" grep -q "added 7, updated 0, unchanged 0, deleted 0, skipped 7" "$T/out"
for pat in "feed.jsonl:2: malformed JSON" "feed.jsonl:4: missing or empty: field 'id'" \
	"encrypted.pdf: pdf: encrypted" "truncated.pdf: pdf: cannot open" \
	"empty.txt: no text" "dangling.txt: No such file" "fifo.txt: not a regular file"; do
	check "reported: $pat" grep -q "$pat" "$T/err"
done
check "Windows-1252 decoded (Görlitz)" [ "$(q "SELECT count(*) FROM documents WHERE body LIKE '%Görlitz%Neiße%'")" = 1 ]
check "txt title is the first line" [ "$(q "SELECT title FROM documents WHERE ext_id='latin1.txt'")" = Stadtportrait ]
check "md front matter" [ "$(q "SELECT title||'|'||date||'|'||source FROM documents WHERE ext_id='sub/artikel.md'")" = "Kohleausstieg im Revier|2024-02-20|Testblatt" ]
check "md markup stripped" [ "$(q "SELECT count(*) FROM documents WHERE ext_id='sub/artikel.md' AND body LIKE '%Der Strukturwandel in der Lausitz geht weiter.%' AND body NOT LIKE '%http%'")" = 1 ]
check "html metadata" [ "$(q "SELECT title||'|'||day||'|'||url||'|'||source FROM documents WHERE ext_id='seite.html'")" = "Wasserstoff in Leuna|2026-02-09|https://example.org/leuna|Testportal" ]
check "html drops nav/script/footer" [ "$(q "SELECT count(*) FROM documents WHERE ext_id='seite.html' AND body LIKE '%Leitung nach Leuna.%' AND body NOT LIKE '%Menü%' AND body NOT LIKE '%tracking%' AND body NOT LIKE '%Impressum%'")" = 1 ]
check "html without body keeps its title" [ "$(q "SELECT title FROM documents WHERE ext_id='nobody.html'")" = "Nur ein Titel" ]
check "pdf text and metadata" [ "$(q "SELECT type||'|'||title||'|'||source FROM documents WHERE ext_id='bericht.pdf' AND body LIKE '%Görlitz%'")" = "publication|Bericht zum Strukturwandel|Findling-Projekt" ]
check "jsonl records, null title" [ "$(q "SELECT count(*) FROM documents WHERE ext_id IN ('j1','j2')")" = 2 ]
check "hidden files skipped" [ "$(q "SELECT count(*) FROM documents WHERE body LIKE '%geheim%'")" = 0 ]
check "--check passes" $INDEXER --index "$DB" --check

gen=$(q "SELECT value FROM meta WHERE key='generation'")
run_idx "$T/in"
check "rerun: nothing changes" grep -q "added 0, updated 0, unchanged [0-9]*, deleted 0" "$T/out"
check "rerun: generation unchanged" [ "$(q "SELECT value FROM meta WHERE key='generation'")" = "$gen" ]

sleep 0.01
printf 'Stadtportrait\n\nGörlitz hat einen neuen Bahnhof.\n' > "$T/in/latin1.txt"
run_idx "$T/in"
check "changed file: updated 1" grep -q "added 0, updated 1" "$T/out"
check "changed file: new text stored" [ "$(q "SELECT count(*) FROM documents WHERE body LIKE '%Bahnhof%'")" = 1 ]

rm "$T/in/seite.html" "$T/in/fifo.txt" "$T/in/dangling.txt"
grep -v '"j2"' "$T/in/feed.jsonl" > "$T/f" && mv "$T/f" "$T/in/feed.jsonl"
run_idx "$T/in"
check "without --prune nothing is deleted" [ "$(q "SELECT count(*) FROM documents WHERE ext_id IN ('seite.html','j2')")" = 2 ]
run_idx --prune "$T/in"
check "--prune removes gone file and gone record" grep -q "deleted 2" "$T/out"
check "--prune kept the rest" [ "$(q "SELECT count(*) FROM documents")" = 5 ]
check "--check after prune" $INDEXER --index "$DB" --check

printf '{"id":"s1","title":"Von stdin","body":"Dessau-Roßlau"}\n' | $INDEXER --index "$DB" - > "$T/out" 2>&1
check "stdin jsonl" [ "$(q "SELECT path IS NULL FROM documents WHERE ext_id='s1'")" = 1 ]

# dates: a year is its first day; a date not understood is warned about
# (file:line), the document goes in undated and the exit code stays 0
printf '{"id":"y1","date":"2019","body":"Jahresbericht aus Bautzen"}\n{"id":"y2","date":"gestern","body":"Meldung aus Bautzen"}\n' > "$T/dates.jsonl"
printf -- '---\ntitle: Termin\ndate: bald\n---\nTermin in Bautzen\n' > "$T/dates.md"
$INDEXER --index "$T/d.db" "$T/dates.jsonl" "$T/dates.md" > "$T/out" 2> "$T/err"
check "bad date: exit 0" [ $? = 0 ]
check "bad date: jsonl warning names file:line" grep -qF "dates.jsonl:2: date 'gestern' not understood; indexed without a date" "$T/err"
check "bad date: file warning names the file" grep -qF "dates.md: date 'bald' not understood" "$T/err"
check "bad date: only those two warnings" [ "$(wc -l < "$T/err")" = 2 ]
check "bad date: summary counts them" grep -q "skipped 0, bad dates 2" "$T/out"
check "bad date: stored undated" [ "$(sqlite3 "$T/d.db" "SELECT count(*) FROM documents WHERE date IS NULL")" = 2 ]
$CLI search --index "$T/d.db" --format json Meldung > "$T/s.json"
check "bad date: the document is searchable" grep -q '"id":"y2"' "$T/s.json"
$CLI search --index "$T/d.db" --format json --filter from=2019 --filter to=2019 Bautzen > "$T/s.json"
check "year date: 2019-01-01, the only hit of 2019" grep -q '"total":1,.*"id":"y1",.*"date":"2019-01-01"' "$T/s.json"
FL_INDEX_NO_THREAD=1 $INDEXER --quiet --index "$T/d2.db" "$T/dates.jsonl" > "$T/out" 2> "$T/err"
check "bad date: --quiet still warns (without the look-ahead thread too)" grep -qF "dates.jsonl:2: date 'gestern'" "$T/err"
check "bad date: --quiet prints no summary" [ ! -s "$T/out" ]

$INDEXER --index "$DB" --bogus > /dev/null 2>&1
check "usage error exits 2" [ $? = 2 ]
$INDEXER --index "$DB" --batch 0 x > /dev/null 2>&1
check "bad --batch exits 2" [ $? = 2 ]

q "UPDATE meta SET value='old-analyzer' WHERE key='analyzer_version'"
run_idx "$T/in"
check "analyzer mismatch refused (exit 2)" [ "$(rc)" = 2 ]
check "mismatch message names --rebuild" grep -q -- "--rebuild" "$T/err"
run_idx --rebuild
check "--rebuild succeeds" [ "$(rc)" = 0 ]
check "--rebuild restores the analyzer version" [ "$(q "SELECT value FROM meta WHERE key='analyzer_version'")" != old-analyzer ]
check "--check after rebuild" $INDEXER --index "$DB" --check

q "PRAGMA user_version = 99"
run_idx "$T/in"
check "newer schema refused" [ "$(rc)" = 2 ]
check "newer schema message" grep -q "schema version 99" "$T/err"
