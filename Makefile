# secretgate: dependency check and install, build, test, bench, fuzz, install.
#   make run     install deps (as root), build, scan this checkout
#   make test    install deps (as root), build, run every test
#   make test SANITIZE=address,undefined   the suite under ASan+UBSan (build-asan/)
#   make test SANITIZE=thread              the suite under TSan (build-tsan/)

CC       ?= cc
PREFIX   ?= /usr/local
DESTDIR  ?=
SANITIZE ?=

ifeq ($(SANITIZE),)
BUILD    ?= build
SANFLAGS :=
else ifeq ($(SANITIZE),thread)
BUILD    ?= build-tsan
SANFLAGS := -fsanitize=thread -O1 -g
else
BUILD    ?= build-asan
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all -O1 -g
endif

PKGS     := libgit2 libpcre2-8 yaml-0.1 libarchive zlib
DEB_PKGS := libgit2-dev libpcre2-dev libyaml-dev libcmocka-dev pkg-config libssl-dev libarchive-dev \
	    zlib1g-dev libarchive-tools

OPT      ?= -O2 -g
WARN     := -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -Wno-missing-field-initializers -Wstrict-prototypes
CFLAGS   += -std=gnu11 $(OPT) $(WARN) -pthread -D_GNU_SOURCE $(SANFLAGS) -Isrc/lib
LDFLAGS  += -pthread $(SANFLAGS)
LIBS     := -lgit2 -lpcre2-8 -lyaml -larchive -lz -lm

LIB_SRC  := $(sort $(wildcard src/lib/*.c))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
RULES    := $(sort $(wildcard rules/*.yaml))

LIB_OBJ  := $(LIB_SRC:src/lib/%.c=$(BUILD)/lib/%.o)
CLI_OBJ  := $(CLI_SRC:src/cli/%.c=$(BUILD)/cli/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BIN      := $(BUILD)/secretgate

.PHONY: all deps build run test unit e2e check-format format bench fuzz fuzz-smoke install clean man

all: build

# Dependencies: present, or installed with apt-get when we are root.
deps:
	@missing=""; \
	for p in $(PKGS) cmocka; do pkg-config --exists $$p 2>/dev/null || missing="$$missing $$p"; done; \
	command -v pkg-config >/dev/null 2>&1 || missing="$$missing pkg-config"; \
	command -v bsdtar >/dev/null 2>&1 || missing="$$missing bsdtar"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "secretgate: installing build dependencies:$$missing"; \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(DEB_PKGS) >/dev/null 2>&1 || \
			{ DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null 2>&1 && \
			  DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(DEB_PKGS) >/dev/null; } || \
			{ echo "secretgate: apt-get install failed" >&2; exit 2; }; \
		else \
			echo "secretgate: missing build dependencies:$$missing" >&2; \
			echo "run: sudo apt-get install -y $(DEB_PKGS)" >&2; exit 2; \
		fi; \
	fi

build: deps
	@$(MAKE) --no-print-directory $(BIN)

# The rule pack: tools/rulepack (linked from the library without the embedded
# rules) loads rules/*.yaml, compiling every pattern, and writes the pack.
LIB_OBJ_NO_RULES := $(filter-out $(BUILD)/lib/rules_embedded.o,$(LIB_OBJ))

$(BUILD)/rulepack: tools/rulepack.c $(LIB_OBJ_NO_RULES)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_OBJ_NO_RULES) $(LIBS)

$(BUILD)/rules.pack: $(RULES) $(BUILD)/rulepack
	$(BUILD)/rulepack $@ $(RULES)

$(BUILD)/lib/%.o: src/lib/%.c $(wildcard src/lib/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

# The embedded rule set: the pack is pulled in with .incbin.
$(BUILD)/lib/rules_embedded.o: src/lib/rules_embedded.c $(BUILD)/rules.pack
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -DSG_RULES_PACK='"$(abspath $(BUILD)/rules.pack)"' -c -o $@ $<

$(BUILD)/libsecretgate.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/cli/%.o: src/cli/%.c $(wildcard src/cli/*.h) $(wildcard src/lib/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Isrc/cli -c -o $@ $<

# How the program links libgit2. The dynamic loader mapping and relocating
# libgit2's chain (OpenSSL, mbedTLS, libssh2, Kerberos) was half of a
# pre-commit hook's run, so when the archives are installed (libgit2-dev and
# its dependencies bring them) the program links them statically, with
# src/cli/no_gssapi.c standing in for Kerberos and src/cli/no_tls.c's CA
# loaders replacing mbedTLS's (hence --allow-multiple-definition: the first
# definition, ours, wins; the library and tests link without it, so a
# duplicate symbol of our own still fails those links). STATIC=0 links
# dynamically.
STATIC   ?= 1
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)
STATIC_A := git2 mbedtls mbedx509 mbedcrypto http_parser ssh2 crypto z pcre2-8 yaml
STATIC_OK := $(if $(filter 1,$(STATIC)),$(if $(strip $(foreach a,$(STATIC_A),$(if $(wildcard /usr/lib/$(MULTIARCH)/lib$(a).a),,missing))),,yes))
ifeq ($(STATIC_OK),yes)
BIN_LIBS := -Wl,--allow-multiple-definition -Wl,-Bstatic $(addprefix -l,$(STATIC_A)) \
	    -Wl,-Bdynamic -larchive -lm -ldl
$(BUILD)/cli/no_gssapi.o: CFLAGS += -DSG_STATIC_LIBGIT2
else
# src/cli/no_tls.c's CA loaders must be visible to libgit2 to replace mbedTLS's.
BIN_LIBS := -Wl,--export-dynamic-symbol=mbedtls_x509_crt_parse_file \
	    -Wl,--export-dynamic-symbol=mbedtls_x509_crt_parse_path $(LIBS)
endif

$(BIN): $(CLI_OBJ) $(BUILD)/libsecretgate.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libsecretgate.a $(BIN_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libsecretgate.a $(wildcard tests/unit/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(BUILD)/libsecretgate.a $(LIBS) -lcmocka

run: build
	./$(BIN) scan

test: build
	@$(MAKE) --no-print-directory $(UNIT_BIN)
	@$(MAKE) --no-print-directory unit e2e check-format

unit:
	@fail=0; pass=0; for t in $(UNIT_BIN); do \
		if "$$t" >$(BUILD)/tests/$$(basename $$t).log 2>&1; then pass=$$((pass+1)); \
		else fail=$$((fail+1)); echo "FAIL: $$t"; cat $(BUILD)/tests/$$(basename $$t).log; fi; \
	done; echo "unit: $$pass passed, $$fail failed"; [ $$fail -eq 0 ]

e2e:
	@SECRETGATE=$(abspath $(BIN)) BUILD=$(abspath $(BUILD)) sh tests/e2e/run.sh

check-format:
	@if command -v clang-format >/dev/null 2>&1; then \
		clang-format --dry-run -Werror src/lib/*.c src/lib/*.h src/cli/*.c src/cli/*.h tools/*.c tests/unit/*.c tests/fuzz/*.c 2>&1 | head -20; \
		clang-format --dry-run -Werror src/lib/*.c src/lib/*.h src/cli/*.c src/cli/*.h tools/*.c tests/unit/*.c tests/fuzz/*.c >/dev/null 2>&1 \
		&& echo "format: clean" || { echo "format: run 'make format'"; exit 1; }; \
	else echo "format: clang-format not installed, skipped"; fi

format:
	clang-format -i src/lib/*.c src/lib/*.h src/cli/*.c src/cli/*.h tools/*.c tests/unit/*.c tests/fuzz/*.c

bench: build
	@sh tests/bench/run.sh $(abspath $(BIN))

fuzz:
	@$(MAKE) --no-print-directory -f tests/fuzz/fuzz.mk fuzz

fuzz-smoke:
	@$(MAKE) --no-print-directory -f tests/fuzz/fuzz.mk fuzz-smoke

# The man page is generated from the binary's own --help text and committed.
man: build
	sh docs/gen-man.sh $(BIN) > docs/secretgate.1

install:
	@test -x $(BIN) || $(MAKE) --no-print-directory build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/secretgate/hooks $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/secretgate
	install -m 755 hooks/pre-commit hooks/pre-push $(DESTDIR)$(PREFIX)/share/secretgate/hooks/
	install -m 644 docs/secretgate.1 $(DESTDIR)$(PREFIX)/share/man/man1/secretgate.1

clean:
	rm -rf build build-asan build-tsan build-*
