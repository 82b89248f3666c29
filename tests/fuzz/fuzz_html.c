/* libFuzzer target: HTML with any declared charset (indexer/extract_html.c). */
#define FUZZ_EXTRACT idx_extract_html
#include "fuzz_extract.h"
