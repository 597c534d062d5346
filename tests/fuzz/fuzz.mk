# libFuzzer targets: `make fuzz` builds them into build-fuzz/, `make fuzz-smoke`
# runs each for FUZZ_TIME seconds (default 30) and fails on the first crash.
#   make -f tests/fuzz/fuzz.mk fuzz-run TARGET=fuzz_scan FUZZ_TIME=600
# The library is compiled with the same sanitizers as the targets, and the
# embedded rule pack is made by the main build's tools/rulepack.

FUZZ_CC    ?= clang
FUZZ_BUILD ?= build-fuzz
FUZZ_TIME  ?= 30
FUZZ_SAN   := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_WARN  := -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
	      -Wstrict-prototypes
FUZZ_CFLAGS := -std=gnu11 -O1 -g $(FUZZ_WARN) -pthread -D_GNU_SOURCE -Iinclude -Isrc $(FUZZ_SAN)
FUZZ_LIBS  := -lgit2 -lpcre2-8 -lyaml -larchive -ldeflate -lz -lm

FUZZ_LIB_SRC := $(sort $(wildcard src/util/*.c src/lib/*/*.c))
FUZZ_LIB_OBJ := $(FUZZ_LIB_SRC:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_RULES_OBJ := $(FUZZ_BUILD)/src/lib/engine/rules_embedded.o
FUZZ_RULES   := $(sort $(wildcard rules/*.yaml))
# A target is built only when the module it exercises is in the tree.
FUZZ_SRC     := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NEEDS_fuzz_manifest := include/secretgate/manifest.h
FUZZ_NEEDS_fuzz_dotenv   := include/secretgate/dotenv.h
FUZZ_ALL     := $(FUZZ_SRC:tests/fuzz/%.c=%)
FUZZ_TARGETS := $(foreach t,$(FUZZ_ALL),$(if $(FUZZ_NEEDS_$(t)),$(if $(wildcard $(FUZZ_NEEDS_$(t))),$(t)),$(t)))
FUZZ_BINS    := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/%)

.PHONY: fuzz fuzz-smoke fuzz-run

fuzz: $(FUZZ_BINS)

# the rule pack is made by the main build's tools/rulepack
$(FUZZ_BUILD)/rules.pack: $(FUZZ_RULES)
	@mkdir -p $(@D)
	@$(MAKE) --no-print-directory -f Makefile build/rulepack
	build/rulepack $@ $(FUZZ_RULES)

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_RULES_OBJ): $(FUZZ_BUILD)/rules.pack
$(FUZZ_RULES_OBJ): private FUZZ_CFLAGS += -DSG_RULES_PACK='"$(abspath $(FUZZ_BUILD)/rules.pack)"'

$(FUZZ_BUILD)/src/lib/report/report_css.o: src/lib/report/report.css

-include $(FUZZ_LIB_OBJ:.o=.d)

$(FUZZ_BUILD)/libsecretgate.a: $(FUZZ_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h tests/encode.h $(FUZZ_BUILD)/libsecretgate.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_BUILD)/libsecretgate.a $(FUZZ_LIBS)

# Each target runs on a scratch copy of its seed corpus so that a smoke run
# leaves the repository's seeds untouched; crash inputs land in build-fuzz/.
fuzz-smoke: $(FUZZ_BINS)
	@fail=0; for t in $(FUZZ_TARGETS); do \
		work=$(FUZZ_BUILD)/work/$$t; rm -rf $$work; mkdir -p $$work/corpus $$work/crashes; \
		cp tests/fuzz/corpus/$$t/* $$work/corpus/ 2>/dev/null; \
		printf 'fuzz: %-14s %ss ... ' $$t $(FUZZ_TIME); \
		if ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
		   UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		   ./$(FUZZ_BUILD)/$$t -max_total_time=$(FUZZ_TIME) -timeout=10 -rss_limit_mb=2048 \
		   -max_len=65536 -artifact_prefix=$$work/crashes/ $$work/corpus \
		   > $$work/log 2>&1; then \
			echo "ok ($$(grep -o 'Done [0-9]* runs' $$work/log || echo '?'))"; \
		else \
			echo "FAILED"; tail -60 $$work/log; ls $$work/crashes; fail=1; \
		fi; \
	done; [ $$fail -eq 0 ]

fuzz-run: $(FUZZ_BUILD)/$(TARGET)
	@mkdir -p $(FUZZ_BUILD)/work/$(TARGET)/corpus
	./$(FUZZ_BUILD)/$(TARGET) -max_total_time=$(FUZZ_TIME) -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -artifact_prefix=$(FUZZ_BUILD)/work/$(TARGET)/ \
		$(FUZZ_BUILD)/work/$(TARGET)/corpus tests/fuzz/corpus/$(TARGET)
