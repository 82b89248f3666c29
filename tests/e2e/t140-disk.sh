#!/usr/bin/env bash
# A full disk and read-only media give clear errors and lose nothing:
# the index lives on a small tmpfs that is filled up, then remounted
# read-only. Needs root to mount (skips otherwise, with a message).
. "$(dirname "$0")/lib.sh"

M=$T/mnt
mkdir -p "$M"
if ! mount -t tmpfs -o size=4m tmpfs "$M" 2>/dev/null; then
	skip "cannot mount a tmpfs here (needs root)"
	exit 0
fi

# unmount before the lib's cleanup removes $T
trap 'umount "$M" 2>/dev/null; _lib_cleanup' EXIT

I=$M/idx.db
$INDEXER --quiet --index "$I" "$FL_ROOT/corpus" >/dev/null 2>&1
check "the corpus indexes on the small file system" test $? = 0

# ---- full disk: the batch fails, the index keeps what it had ----
awk 'BEGIN { for (i = 0; i < 400; i++) {
	body = ""
	for (k = 0; k < 300; k++) body = body sprintf("Fuellwort%d Kapazitaet%d ", i * 7 + k, k)
	printf "{\"id\":\"fill:%d\",\"title\":\"Fuellmeldung %d\",\"body\":\"%s\"}\n", i, i, body } }' > "$T/big.jsonl"
avail=$(df -k --output=avail "$M" | tail -1)
dd if=/dev/zero of="$M/filler" bs=1k count=$((avail - 64)) 2>/dev/null
$INDEXER --index "$I" "$T/big.jsonl" > "$T/out" 2>&1
rc=$?
check "indexing onto a full disk fails with exit 2 (got $rc)" test $rc = 2
check "the error says the disk is full: $(grep -m1 -i full "$T/out")" grep -qi 'disk is full' "$T/out"
# The daemon spills its lexicon and document table beside the index:
# on a full disk (and a full $TMPDIR) they go to /var/tmp or stay on the
# heap, and it answers all the same.
searchd_answers() {
	local name=$1 url
	TMPDIR=$M start_searchd "$name" "$I" --threads 1
	url=$(eval echo "\$URL_$name")
	check "$2: the daemon answers a search" sh -c \
		"curl -s --max-time 10 '$url/api/search?q=G%C3%B6rlitz' | jq -e '.total >= 1' >/dev/null"
	check "$2: it reports where its tables are" sh -c \
		"curl -s --max-time 10 '$url/metrics' | grep -Eq '^findling_lexicon_mapped [01]\$'"
	kill "$(eval echo "\$PID_$name")"
}
if [ -x "$SEARCHD" ]; then
	searchd_answers sdfull "full disk"
	check "no spill file left on the full disk" sh -c "! ls -A '$M' | grep -q spill"
fi
rm -f "$M/filler"
check "after the failure the index passes findling check" $CLI check --index "$I"
check "and still holds the 54 corpus documents" \
	test "$(sqlite3 "$I" 'SELECT count(*) FROM documents')" = 54
check "Görlitz is still found" sh -c "$CLI search --index '$I' --format json --no-snippets Görlitz | jq -e '.total >= 1' >/dev/null"

# ---- read-only media: writers refuse plainly, readers still search ----
mount -o remount,ro "$M"
$INDEXER --index "$I" "$T/big.jsonl" > "$T/out" 2>&1
rc=$?
check "indexing into a read-only index fails with exit 2 (got $rc)" test $rc = 2
check "saying it is not writable: $(head -1 "$T/out")" grep -q "is not writable: Read-only file system" "$T/out"
check "searching an index on read-only media works" \
	sh -c "$CLI search --index '$I' --format json --no-snippets Leipzig | jq -e '.total >= 1' >/dev/null"
[ -x "$SEARCHD" ] && searchd_answers sdro "read-only media"
umount "$M"
