#!/bin/sh
# Regenerate the corpus PDFs from their groff sources (needs: apt-get install groff ghostscript).
# SOURCE_DATE_EPOCH fixes the PDF CreationDate so that the output is reproducible.
set -eu
cd "$(dirname "$0")"
mk() { # mk <source.ms> <target.pdf> <YYYY-MM-DD>
	SOURCE_DATE_EPOCH=$(date -u -d "$3 12:00" +%s) \
		groff -Kutf8 -t -ms -Tpdf "pdf-src/$1" > "publications/$2"
}
mk wasserstoff-energie-revier.ms 2024-wasserstoff-energie-revier.pdf 2024-09-12
mk gueterverkehr-ansiedlungen-revier.ms 2025-gueterverkehr-ansiedlungen-revier.pdf 2025-11-20
