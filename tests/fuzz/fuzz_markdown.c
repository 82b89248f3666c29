/* libFuzzer target: Markdown with front matter (indexer/extract_markdown.c). */
#define FUZZ_EXTRACT idx_extract_markdown
#include "fuzz_extract.h"
