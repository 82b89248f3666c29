# Findling - top-level build. Objects and binaries go to $(BUILD).
# Targets: all run test sanitize valgrind bench bench-scale install check-style clean

BUILD   ?= build
PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
PORT    ?= 8080
INDEX   ?= $(BUILD)/corpus.db

PKGS_LIB = sqlite3 libutf8proc jansson
PKGS_IDX = libxml-2.0 poppler-glib
PKGS_SD  = libmicrohttpd

WARN    = -Wall -Wextra -Werror -Wshadow -Wvla -Wformat=2
OPT     ?= -O2 -g
SAN     ?=
CFLAGS_BASE = -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L $(WARN) $(OPT) $(SAN) -MMD -MP

PC = $(shell pkg-config --cflags $(1) 2>/dev/null)
PL = $(shell pkg-config --libs $(1) 2>/dev/null)

LIB_CFLAGS = $(CFLAGS_BASE) -Ilib $(call PC,$(PKGS_LIB))
LIB_LIBS   = $(call PL,$(PKGS_LIB)) -lstemmer -lpthread -lm
IDX_CFLAGS = $(CFLAGS_BASE) -Ilib $(call PC,$(PKGS_LIB) $(PKGS_IDX))
IDX_LIBS   = $(call PL,$(PKGS_IDX))
SD_CFLAGS  = $(CFLAGS_BASE) -Ilib $(call PC,$(PKGS_LIB) $(PKGS_SD))
SD_LIBS    = $(call PL,$(PKGS_SD))
CLI_CFLAGS = $(CFLAGS_BASE) -Ilib $(call PC,$(PKGS_LIB))
TEST_CFLAGS = $(CFLAGS_BASE) -Ilib $(call PC,$(PKGS_LIB) cmocka)
TEST_LIBS  = $(call PL,cmocka)

# Data files compiled into libfindling.a as `const unsigned char SYM[]`:
# path:symbol pairs (tools/embed.sh).
EMBED_LIB = $(foreach f,$(sort $(wildcard schema/*.sql)),$(f):fl_schema_$(basename $(notdir $(f))))
EMBED_LIB += $(foreach f,$(sort $(wildcard lib/data/*.txt)),$(f):fl_data_$(basename $(notdir $(f))))
EMBED_SD = $(foreach f,$(sort $(wildcard searchd/www/*)),$(f):sd_www_$(subst .,_,$(subst -,_,$(notdir $(f)))))

emb_path = $(word 1,$(subst :, ,$(1)))
emb_sym  = $(word 2,$(subst :, ,$(1)))

LIB_SRC  = $(sort $(wildcard lib/*.c))
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o) \
	$(foreach e,$(EMBED_LIB),$(BUILD)/gen/$(call emb_sym,$(e)).o)
IDX_SRC  = $(sort $(wildcard indexer/*.c))
IDX_OBJ  = $(IDX_SRC:%.c=$(BUILD)/%.o)
CLI_SRC  = $(sort $(wildcard cli/*.c))
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/%.o)
SD_SRC   = $(sort $(wildcard searchd/*.c))
SD_OBJ   = $(SD_SRC:%.c=$(BUILD)/%.o) \
	$(foreach e,$(EMBED_SD),$(BUILD)/gen/$(call emb_sym,$(e)).o)
UNIT_SRC = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TESTSUPPORT_SRC = $(sort $(wildcard tests/unit/support_*.c))
TESTSUPPORT_OBJ = $(TESTSUPPORT_SRC:%.c=$(BUILD)/%.o)

LIBFL    = $(BUILD)/libfindling.a
PROGS    = $(if $(IDX_SRC),$(BUILD)/findling-index) \
	$(if $(CLI_SRC),$(BUILD)/findling) \
	$(if $(SD_SRC),$(BUILD)/findling-searchd)

.SECONDARY:
.PHONY: all deps run test unit san-units sanitize valgrind bench bench-scale install check-style clean fuzz fuzz-build fuzz-bins

all: $(PROGS) $(UNIT_BIN)

deps:
	@sh tools/deps.sh

# Every compile waits for the dependency check (order-only).
$(BUILD)/lib/%.o: lib/%.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(LIB_CFLAGS) -c $< -o $@
$(BUILD)/indexer/%.o: indexer/%.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(IDX_CFLAGS) -c $< -o $@
$(BUILD)/cli/%.o: cli/%.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CLI_CFLAGS) -c $< -o $@
$(BUILD)/searchd/%.o: searchd/%.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(SD_CFLAGS) -c $< -o $@
$(BUILD)/tests/unit/%.o: tests/unit/%.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -c $< -o $@

define embed_rule
$(BUILD)/gen/$(call emb_sym,$(1)).c: $(call emb_path,$(1)) tools/embed.sh
	@mkdir -p $(BUILD)/gen
	sh tools/embed.sh $(call emb_sym,$(1)) $$< > $$@
endef
$(foreach e,$(EMBED_LIB) $(EMBED_SD),$(eval $(call embed_rule,$(e))))
$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) $(CFLAGS_BASE) -c $< -o $@

$(LIBFL): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/findling-index: $(IDX_OBJ) $(LIBFL)
	$(CC) $(SAN) -o $@ $(IDX_OBJ) $(LIBFL) $(IDX_LIBS) $(LIB_LIBS)
$(BUILD)/findling: $(CLI_OBJ) $(LIBFL)
	$(CC) $(SAN) -o $@ $(CLI_OBJ) $(LIBFL) $(LIB_LIBS)
$(BUILD)/findling-searchd: $(SD_OBJ) $(LIBFL)
	$(CC) $(SAN) -o $@ $(SD_OBJ) $(LIBFL) $(SD_LIBS) $(LIB_LIBS)
$(BUILD)/tests/test_%: $(BUILD)/tests/unit/test_%.o $(TESTSUPPORT_OBJ) $(LIBFL)
	$(CC) $(SAN) -o $@ $< $(TESTSUPPORT_OBJ) $(LIBFL) $(TEST_LIBS) $(LIB_LIBS)

# Index our corpus and serve it on 127.0.0.1.
run: all
	$(BUILD)/findling-index --index $(INDEX) corpus/ ; test $$? -le 1
	@if [ -x $(BUILD)/findling-searchd ]; then \
		echo "Findling: http://127.0.0.1:$(PORT)/"; \
		exec $(BUILD)/findling-searchd --index $(INDEX) --listen 127.0.0.1:$(PORT); \
	else \
		echo "index built at $(INDEX); try: $(BUILD)/findling search --index $(INDEX) Leipzig"; \
	fi

# make test also runs the unit tests built with ASan+UBSan in build-san,
# so CI (.ci/run is make test) runs the sanitizer build; `make sanitize`
# runs the whole suite under the sanitizers.
SAN_BUILD = build-san
SAN_VARS  = OPT="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
SAN_UNITS ?= 1

test: all
	@if [ "$(SAN_UNITS)" = 1 ]; then \
		echo "building the unit tests with ASan+UBSan in $(SAN_BUILD)/"; \
		$(MAKE) --no-print-directory -j2 BUILD=$(SAN_BUILD) $(SAN_VARS) \
			san-units > $(BUILD)/san-build.log 2>&1 || \
			{ tail -20 $(BUILD)/san-build.log; exit 1; }; \
		FL_SAN_BUILD=$(SAN_BUILD) FL_BUILD=$(BUILD) bash tests/run; \
	else \
		FL_BUILD=$(BUILD) bash tests/run; \
	fi

san-units: $(UNIT_BIN)

sanitize:
	$(MAKE) BUILD=$(SAN_BUILD) $(SAN_VARS) SAN_UNITS=0 test

valgrind: all
	@FL_BUILD=$(BUILD) FL_VALGRIND=1 bash tests/run

BENCH_BIN = $(BUILD)/bench/plain_fts5
$(BUILD)/bench/%: tests/bench/%.c $(LIBFL) | deps
	@mkdir -p $(dir $@)
	$(CC) $(LIB_CFLAGS) -o $@ $< $(LIBFL) $(LIB_LIBS)

bench: all $(BENCH_BIN)
	@FL_BUILD=$(BUILD) bash tests/bench/run

# Cost growth with corpus size: corpora of FL_SCALE_SIZES documents (default
# 10k 50k 250k) built from ../shared/data in a temp dir; long (the 250k size
# takes a while) and needs ../shared, else it says so and exits 0.
bench-scale: all
	@FL_BUILD=$(BUILD) bash tests/bench/scale

# libFuzzer targets (tests/fuzz/fuzz_*.c), built by clang with ASan+UBSan
# into build-fuzz/ against the library and the indexer's extractors;
# fuzz_http_params also links searchd's request target parser (no MHD).
# `make fuzz` runs each for FUZZ_SECONDS from the seeds (tests/fuzz/seeds.sh
# gathers them from corpus/ and the golden files); crashes land in
# build-fuzz/crash-<target>-*.
FUZZ_BUILD   = build-fuzz
FUZZ_SAN     = -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_SECONDS ?= 60
FUZZ_NAMES   = $(basename $(notdir $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_IDX_OBJ = $(filter-out $(BUILD)/indexer/main.o,$(IDX_OBJ))
FUZZ_SD_OBJ  = $(BUILD)/searchd/params.o

$(BUILD)/fuzz/fuzz_http_params: $(FUZZ_SD_OBJ)
$(BUILD)/fuzz/%: tests/fuzz/%.c $(LIBFL) $(FUZZ_IDX_OBJ) | deps
	@mkdir -p $(dir $@)
	$(CC) $(IDX_CFLAGS) -Iindexer -Isearchd -fsanitize=fuzzer -o $@ $< \
		$(filter $(FUZZ_SD_OBJ),$^) $(FUZZ_IDX_OBJ) $(LIBFL) \
		$(IDX_LIBS) $(LIB_LIBS)

fuzz-bins: $(FUZZ_NAMES:%=$(BUILD)/fuzz/%)

fuzz-build:
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang OPT="-O1 -g" \
		SAN="$(FUZZ_SAN) -fsanitize=fuzzer-no-link" fuzz-bins

fuzz: fuzz-build
	@FL_FUZZ_SECONDS=$(FUZZ_SECONDS) bash tests/fuzz/run $(FUZZ_BUILD) $(FUZZ_NAMES)

check-style:
	@sh tools/check-style.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(PROGS) $(DESTDIR)$(PREFIX)/bin/
	install -d $(DESTDIR)$(PREFIX)/share/man/man8 $(DESTDIR)$(PREFIX)/lib/systemd/system
	install -m 644 searchd/findling-searchd.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	sed 's|/usr/local|$(PREFIX)|g' searchd/findling-searchd.service \
		> $(DESTDIR)$(PREFIX)/lib/systemd/system/findling-searchd.service

clean:
	rm -rf build build-san build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
