#!/usr/bin/env bash
# A short libFuzzer run of every target in tests/fuzz (a few seconds each,
# seeded from corpus/ and the golden files): no crash, leak or sanitizer
# report. `make fuzz FUZZ_SECONDS=1800` is the long run. Skips with a
# message where clang's libFuzzer runtime is not installed.
. "$(dirname "$0")/lib.sh"

if ! command -v clang >/dev/null 2>&1 ||
	[ ! -f "$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a)" ]; then
	skip "clang with libFuzzer (libclang-rt-14-dev) not installed"
	exit 0
fi
cd "$FL_ROOT" || exit 1
if ! make -s fuzz-build > "$T/build.log" 2>&1; then
	fail "the fuzz targets build: $(grep -m3 error "$T/build.log")"
	exit 0
fi
for bin in build-fuzz/fuzz/fuzz_*; do
	case "$bin" in *.d) continue ;; esac
	t=$(basename "$bin")
	FL_FUZZ_SECONDS=${FL_FUZZ_SECONDS:-3} bash tests/fuzz/run build-fuzz "$t" > "$T/$t.out" 2>&1
	check "$t: $(head -1 "$T/$t.out")" grep -q ': ok,' "$T/$t.out"
done
