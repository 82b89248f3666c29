#!/usr/bin/env bash
# End to end: index our corpus/ and check what German analysis must find
# (and must not find) through `findling search`; then, where ../shared/data
# is present, index all of it and check the index.
. "$(dirname "$0")/lib.sh"

IDX=$T/corpus.db
# ids QUERY...: the ids of all hits, one a line
ids() { $CLI search --index "$IDX" --format json --limit 100 --no-snippets "$@" | jq -r '.hits[].id'; }
total() { $CLI search --index "$IDX" --format json --limit 1 --no-snippets "$@" | jq -r '.total'; }
# finds QUERY DOC: the query finds the document whose id contains DOC
finds() { ids "$1" | grep -q -- "$2"; }

$INDEXER --index "$IDX" "$FL_ROOT/corpus" > "$T/out" 2> "$T/err"
check "corpus indexes with exit 0" test $? = 0
check "corpus: 54 documents added" grep -q 'added 54,' "$T/out"
$INDEXER --index "$IDX" "$FL_ROOT/corpus" > "$T/out" 2>&1
check "re-indexing the corpus changes nothing" grep -q 'added 0, updated 0' "$T/out"
check "index passes the integrity check" $INDEXER --index "$IDX" --check

# spelling equivalence, both ways
check "Muenchen finds München"      finds Muenchen absolventen-bleiben-in-leipzig
check "München finds Muenchen"      finds München notiz-ohne-umlaute
check "Strasse finds Straße"        finds Strasse stadtrat-fussgaengeruebergang
check "Fachkräfte finds Fachkraefte" finds Fachkräfte notiz-ohne-umlaute
check "Fachkraefte finds Fachkräfte" finds Fachkraefte fachkraefteentwicklung-revier
# inflection
check "Schulen finds Schule"        finds Schulen lehrkraft-zeitz
check "Schule finds Schulen"        finds Schule lehrkraeftemangel-sachsen
check "Lehrkräfte finds Lehrkraft"  finds Lehrkräfte lehrkraft-zeitz
check "Autos finds Auto"            finds Autos pendeln-mit-dem-auto
check "Auto finds Autos"            finds Auto s-bahn-pendeln-weniger-autos
check "Ministerien finds Ministerium" finds Ministerien lehrkraeftemangel-sachsen
check "Ministerium finds Ministerien" finds Ministerium informationsfreiheitsgesetz
check "Erzieherinnen finds Erzieherin" finds Erzieherinnen kita-portraet-halle
check "Erzieherin finds Erzieherinnen" finds Erzieherin kitas-leipzig-personal
check "Kita finds Kitas"            finds Kita kitas-leipzig-personal
# gender forms
check "Bürger finds Bürger:innen"   finds Bürger stadtrat-fussgaengeruebergang
check "Bürgerinnen finds BürgerInnen" finds Bürgerinnen feed:0006
# compound parts find their compounds
check "Monitoring finds Bildungsmonitoring" finds Monitoring 2022-bildungsmonitoring
check "Weiterbildung finds Weiterbildungsmaßnahmen" finds Weiterbildung weiterbildungsmassnahmen-beschaeftigte
check "Entwicklung finds Fachkräfteentwicklung" finds Entwicklung fachkraefteentwicklung-revier
check "Verkehrskonzept finds Güterverkehrskonzept" finds Verkehrskonzept gueterverkehrskonzept-saalekreis
check "Übergang finds Fußgängerübergang" finds Übergang stadtrat-fussgaengeruebergang
check "Freiheitsgesetz finds Informationsfreiheitsgesetz" finds Freiheitsgesetz informationsfreiheitsgesetz-strukturmittel
# no false hits
if ids gut | grep -q kita-personalschluessel-studie; then
	fail "gut must not find Gütersloh"
else
	ok "gut does not find Gütersloh"
fi
others=$(ids Rat | grep -v stadtrat-fussgaengeruebergang | head -3)
check "Rat finds only the Stadtrat document (not Beratung): ${others:-none else}" test -z "$others"
check "Rat finds the Stadtrat document" finds Rat stadtrat-fussgaengeruebergang
check "Förderung ranks a Förderung document first" \
	sh -c "! $CLI search --index '$IDX' --format json --no-snippets Förderung | jq -r '.hits[0].id' | grep -q informationsfreiheitsgesetz"
# hyphenated words
a=$(total Sachsen-Anhalt); b=$(total 'Sachsen Anhalt'); c=$(total sachsen-anhalt)
check "Sachsen-Anhalt, Sachsen Anhalt, sachsen-anhalt agree ($a/$b/$c)" test "$a" -gt 0 -a "$a" = "$b" -a "$b" = "$c"
check "E-Mail is findable as email" test "$(total E-Mail)" = "$(total email)"
# Windows-1252 text and PDFs
check "Görlitz found in the Windows-1252 file" finds Görlitz exkursion-goerlitz-cp1252
check "PDF text is searchable" finds Wasserstoffnetz wasserstoff-energie-revier.pdf

if ! has_shared; then
	skip "indexing ../shared/data: $FL_SHARED/data not found"
	exit 0
fi
D=$FL_SHARED/data
S=$T/shared.db
$INDEXER --quiet --index "$S" "$D/news-de.jsonl" "$D/reports-de.jsonl" "$D/pdf" > "$T/sout" 2> "$T/serr"
rc=$?
check "all of ../shared/data indexes (exit $rc, $(tail -1 "$T/serr" 2>/dev/null))" test $rc -le 1
n=$(sqlite3 "$S" 'SELECT count(*) FROM documents')
pdfs=$(find "$D/pdf" -name '*.pdf' | wc -l)
skipped=$(grep -c . "$T/serr")
check "shared data: $n documents (8506 news + 651 reports + $pdfs PDFs - $skipped skipped)" \
	test "$n" -ge $((8506 + 651 + pdfs - skipped))
check "shared index passes the integrity check" $INDEXER --index "$S" --check
IDX=$S
check "news: Leipzig finds documents" test "$(total Leipzig)" -gt 10
check "reports: Berufsausbildung finds a revosax document" sh -c "$CLI search --index '$S' --format json --limit 50 --no-snippets Berufsausbildung | jq -r '.hits[].id' | grep -q '^revosax:'"
