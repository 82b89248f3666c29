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
umount "$M"
