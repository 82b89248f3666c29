#!/bin/sh
# Usage: embed.sh SYMBOL FILE > out.c
# Writes FILE as `const unsigned char SYMBOL[]` (NUL-terminated) and
# `const size_t SYMBOL_len` so binaries carry data files without a runtime path.
set -eu
sym=$1
file=$2
echo "/* generated from $file by tools/embed.sh; do not edit */"
echo "#include <stddef.h>"
echo "const unsigned char ${sym}[] = {"
od -An -v -tx1 "$file" | sed -e 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g'
echo "0x00 };"
echo "const size_t ${sym}_len = sizeof(${sym}) - 1;"
