/* libFuzzer target: plain text, UTF-8 or Windows-1252 (indexer/extract_text.c). */
#define FUZZ_EXTRACT idx_extract_text
#include "fuzz_extract.h"
