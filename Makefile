# secretgate: dependency install, build, test, bench, fuzz, install.
#   make run     install build deps (as root), build, scan this checkout
#   make test    install build and test deps (as root), build, run every test
#   make deps    install the build dependencies only (make test-deps: and the test ones)
#   make         build; says what is missing instead of installing it
#   make STATIC=0   link libgit2 and its chain dynamically (default: statically)
#   make check-format   clang-format check of the C sources (CI runs it)
#   make test SANITIZE=address,undefined   the suite under ASan+UBSan (build-asan/)
#   make test SANITIZE=thread              the suite under TSan (build-tsan/)

# The version, in one place: the VERSION file (the binary, the man page, the
# release files and the docs' tags all come from it).
VERSION  := $(shell cat VERSION)
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

# Debian packages: what the build needs (the static link also takes the
# archives of libgit2's chain, which libgit2-dev brings), and what only the
# tests need.
DEB_BUILD := pkg-config libgit2-dev libpcre2-dev libyaml-dev libmbedtls-dev libssh2-1-dev \
	     libhttp-parser-dev libssl-dev zlib1g-dev libarchive-dev nettle-dev liblzma-dev \
	     libbz2-dev libzstd-dev liblz4-dev libacl1-dev libdeflate-dev
# python3 and jq let the e2e suite check JSON and XML output (without them
# those checks are reported as skipped); python3 and bsdtar (libarchive-tools)
# build the archives and images the artefact tests scan; pre-commit runs the
# manifest .pre-commit-hooks.yaml with the real framework.
DEB_TEST  := libcmocka-dev git python3 jq libarchive-tools pre-commit

OPT      ?= -O2 -g
WARN     := -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -Wstrict-prototypes
CFLAGS   += -std=gnu11 $(OPT) $(WARN) -pthread -D_GNU_SOURCE $(SANFLAGS) -Iinclude -Isrc \
	    -DSG_VERSION='"$(VERSION)"'
LDFLAGS  += -pthread $(SANFLAGS)
LIBS     := -lgit2 -lpcre2-8 -lyaml -larchive -ldeflate -lz -lm

# The library is src/util/ and every layer under src/lib/; the program is
# src/cli/. Objects mirror the source tree under $(BUILD)/; each compile
# writes a .d file (-MMD -MP) so an object depends on the headers it includes.
LIB_SRC  := $(sort $(wildcard src/util/*.c src/lib/*/*.c))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
RULES    := $(sort $(wildcard rules/*.yaml))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BIN      := $(BUILD)/secretgate

FORMAT_SRC := $(wildcard include/secretgate/*.h src/util/*.[ch] src/lib/*/*.[ch] src/cli/*.[ch] tools/*.c tests/unit/*.[ch] tests/fuzz/*.[ch] tests/bench/*.c)

.PHONY: all deps test-deps build run test install-lib unit e2e check-format format bench fuzz fuzz-smoke install clean man shellcheck dist

all: build

# Dependencies: `deps` installs the missing Debian packages with apt-get
# (as root) and names each one; `build` only checks and says what to run.
define install_debs
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		grep -q '^install ok installed' || printf ' %s' $$p; done); \
	if [ -z "$$missing" ]; then echo "deps: $(2) dependencies present"; \
	elif [ "$$(id -u)" != 0 ]; then \
		echo "deps: missing$$missing; run: sudo apt-get install -y$$missing" >&2; exit 2; \
	else \
		echo "deps: installing$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y -q $$missing >/dev/null 2>&1 || \
		{ apt-get update -q >/dev/null && apt-get install -y -q $$missing >/dev/null; } || \
		{ echo "deps: apt-get install failed" >&2; exit 2; }; \
	fi
endef

deps:
	$(call install_debs,$(DEB_BUILD),build)

test-deps: deps
	$(call install_debs,$(DEB_TEST),test)

PKGS := libgit2 libpcre2-8 yaml-0.1 libarchive libdeflate zlib

build:
	@command -v pkg-config >/dev/null 2>&1 && pkg-config --exists $(PKGS) || \
		{ echo "secretgate: build dependencies missing; run 'make deps' (as root)" >&2; exit 2; }
	@$(MAKE) --no-print-directory $(BIN)
	@echo "secretgate: built $(BIN) ($(LINK_KIND))"

# The rule pack: tools/rulepack (linked from the library without the embedded
# rules) loads rules/*.yaml, compiling every pattern, and writes the pack.
RULES_OBJ := $(BUILD)/src/lib/engine/rules_embedded.o
LIB_OBJ_NO_RULES := $(filter-out $(RULES_OBJ),$(LIB_OBJ))

$(BUILD)/rulepack: tools/rulepack.c $(LIB_OBJ_NO_RULES)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -MMD -MP -MF $@.d $(LDFLAGS) -o $@ $< $(LIB_OBJ_NO_RULES) $(LIBS)

$(BUILD)/rules.pack: $(RULES) $(BUILD)/rulepack
	$(BUILD)/rulepack $@ $(RULES)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

# The embedded rule set: the pack is pulled in with .incbin.
$(RULES_OBJ): $(BUILD)/rules.pack
$(RULES_OBJ): private CFLAGS += -DSG_RULES_PACK='"$(abspath $(BUILD)/rules.pack)"'

# Other files embedded the same way (src/util/embed.h): the hook shims and
# the HTML report's style sheet.
$(BUILD)/src/cli/hooks_embedded.o: hooks/pre-commit hooks/pre-push
$(BUILD)/src/lib/report/report_css.o: src/lib/report/report.css

# Every object says the version.
$(LIB_OBJ) $(CLI_OBJ): VERSION

$(BUILD)/libsecretgate.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# How the program links libgit2, chosen by STATIC, never by which archives
# happen to be installed. The dynamic loader mapping and relocating libgit2's
# chain (mbedTLS, libssh2, OpenSSL's libcrypto, zlib) and libarchive's (nettle, xz, bzip2,
# zstd, lz4, acl) was half of a
# pre-commit hook's run, so by default they are linked statically. Kerberos
# (libgit2's HTTP Negotiate), of which Debian ships no archive, is replaced by
# src/dist/no_gssapi.c, whose GSS-API functions report the mechanism
# unavailable: a program that opens no connection has no use for it, and
# loading libgssapi_krb5 and its six libraries was a tenth of a hook's run.
# In the static link, libgit2's mbedTLS set-up (entropy for a random
# generator, the system CA store) and libssh2's start-up (every OpenSSL
# engine and its error strings) are redirected with -Wl,--wrap= to no-ops
# (src/cli/no_tls_init.c, src/cli/no_ssh_init.c): they serve connections
# this program never opens, and a TLS connection, were one attempted, fails
# with a message. STATIC=0 links everything dynamically and, as calls inside
# libgit2.so cannot be redirected, pays for all of it.
# FULL_STATIC=1 (make dist) links the C library and everything else
# statically too, for a release binary that runs on any Linux of its
# architecture. libgit2 then reads no passwd database; HOME still names the
# user's configuration.
STATIC   ?= 1
FULL_STATIC ?= 0
comma    := ,
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)
STATIC_A := archive nettle lzma bz2 zstd lz4 acl git2 mbedtls mbedx509 mbedcrypto http_parser \
	    ssh2 crypto z pcre2-8 yaml deflate
NOOP_WRAP := git_mbedtls_stream_global_init git_mbedtls_stream_new git_mbedtls_stream_wrap \
	     libssh2_init
ifeq ($(FULL_STATIC),1)
LINK_KIND := fully static
CLI_OBJ  += $(BUILD)/src/dist/no_gssapi.o
BIN_LIBS := -static -s $(addprefix -Wl$(comma)--wrap=,$(NOOP_WRAP)) \
	    $(addprefix -l,$(STATIC_A)) -lm -ldl
else ifeq ($(STATIC),1)
LINK_KIND := libgit2, libarchive and their chains linked statically, without Kerberos
CLI_OBJ  += $(BUILD)/src/dist/no_gssapi.o
BIN_LIBS := $(addprefix -Wl$(comma)--wrap=,$(NOOP_WRAP)) \
	    -Wl,-Bstatic $(addprefix -l,$(STATIC_A)) -Wl,-Bdynamic -lm -ldl
else ifeq ($(STATIC),0)
LINK_KIND := linked dynamically
CLI_OBJ  := $(filter-out $(BUILD)/src/cli/no_tls_init.o $(BUILD)/src/cli/no_ssh_init.o,$(CLI_OBJ))
BIN_LIBS := $(LIBS)
else
$(error STATIC must be 1 (static libgit2 chain) or 0 (dynamic))
endif
$(BIN): $(CLI_OBJ) $(BUILD)/libsecretgate.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libsecretgate.a $(BIN_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libsecretgate.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -MMD -MP -MF $@.d $(LDFLAGS) -o $@ $< $(BUILD)/libsecretgate.a $(LIBS) -lcmocka

# The prefilter's own throughput, for make bench.
$(BUILD)/prefilter_speed: tests/bench/prefilter_speed.c $(BUILD)/libsecretgate.a
	$(CC) $(CFLAGS) -MMD -MP -MF $@.d $(LDFLAGS) -o $@ $< $(BUILD)/libsecretgate.a $(LIBS)

# Walk and read a tree, nothing more: the floor the node_modules scan is read against.
$(BUILD)/read_floor: tests/bench/read_floor.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -MMD -MP -MF $@.d $(LDFLAGS) -o $@ $<

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_BIN:=.d) $(BUILD)/rulepack.d

run: deps
	@$(MAKE) --no-print-directory build
	./$(BIN) scan

test: test-deps
	@$(MAKE) --no-print-directory build
	@$(MAKE) --no-print-directory $(UNIT_BIN)
	@$(MAKE) --no-print-directory unit e2e

unit:
	@fail=0; pass=0; for t in $(UNIT_BIN); do \
		if "$$t" >$(BUILD)/tests/$$(basename $$t).log 2>&1; then pass=$$((pass+1)); \
		else fail=$$((fail+1)); echo "FAIL: $$t"; cat $(BUILD)/tests/$$(basename $$t).log; fi; \
	done; echo "unit: $$pass passed, $$fail failed"; [ $$fail -eq 0 ]

e2e:
	@SECRETGATE=$(abspath $(BIN)) BUILD=$(abspath $(BUILD)) sh tests/e2e/run.sh

# Formatting is checked on its own (CI runs it), not by `make test`: its
# verdict depends on the clang-format version installed.
check-format:
	@command -v clang-format >/dev/null 2>&1 || \
		{ echo "format: clang-format not installed (apt-get install clang-format)" >&2; exit 2; }
	@clang-format --dry-run -Werror $(FORMAT_SRC) 2>&1 | head -20
	@clang-format --dry-run -Werror $(FORMAT_SRC) >/dev/null 2>&1 \
		&& echo "format: clean" || { echo "format: run 'make format'"; exit 1; }

format:
	clang-format -i $(FORMAT_SRC)

# Every shell script: the shipped ones at every severity, the tests' at warning
# and above (their notes are mostly literal '$' in scripts they write).
SHIPPED_SH := $(wildcard .ci/run ci/*.sh hooks/pre-commit hooks/pre-push docs/*.sh)
TEST_SH    := $(wildcard tests/*.sh tests/e2e/*.sh tests/bench/*.sh tests/fuzz/*.sh)
shellcheck:
	shellcheck $(SHIPPED_SH)
	shellcheck -S warning $(TEST_SH)
	@echo "shellcheck: $(words $(SHIPPED_SH) $(TEST_SH)) scripts clean"

bench: build $(BUILD)/prefilter_speed $(BUILD)/read_floor
	@PREFILTER_SPEED=$(abspath $(BUILD)/prefilter_speed) READ_FLOOR=$(abspath $(BUILD)/read_floor) \
		sh tests/bench/run.sh $(abspath $(BIN))

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

# The library for other programs: the public headers, the archive and a
# pkg-config file (pkg-config --static --cflags --libs secretgate).
LIBDIR   ?= $(PREFIX)/lib
INCDIR   ?= $(PREFIX)/include
install-lib: build
	install -d $(DESTDIR)$(INCDIR)/secretgate $(DESTDIR)$(LIBDIR)/pkgconfig
	install -m 644 include/secretgate/*.h $(DESTDIR)$(INCDIR)/secretgate/
	install -m 644 $(BUILD)/libsecretgate.a $(DESTDIR)$(LIBDIR)/
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' 'includedir=$(INCDIR)' '' \
		'Name: secretgate' 'Description: secrets and configuration gate library' \
		'Version: $(VERSION)' \
		'Requires.private: $(PKGS)' 'Cflags: -I$${includedir}' \
		'Libs: -L$${libdir} -lsecretgate' 'Libs.private: -lm -pthread' \
		> $(DESTDIR)$(LIBDIR)/pkgconfig/secretgate.pc

# Release files in dist/: the source tarball of the committed tree, a fully
# static binary for this machine's architecture, and their SHA-256 sums.
ARCH     := $(shell uname -m | sed -e 's/^aarch64$$/arm64/')
DIST     ?= dist
dist: deps
	@command -v git >/dev/null 2>&1 || { echo "secretgate: make dist needs git" >&2; exit 2; }
	rm -rf $(DIST) && mkdir -p $(DIST)
	git archive --format=tar.gz --prefix=secretgate-$(VERSION)/ \
		-o $(DIST)/secretgate-$(VERSION).tar.gz HEAD
	$(MAKE) --no-print-directory BUILD=build-dist FULL_STATIC=1 build
	cp build-dist/secretgate $(DIST)/secretgate-$(VERSION)-linux-$(ARCH)
	cd $(DIST) && sha256sum secretgate-$(VERSION).tar.gz secretgate-$(VERSION)-linux-$(ARCH) \
		>SHA256SUMS-linux-$(ARCH)
	@cat $(DIST)/SHA256SUMS-linux-$(ARCH)

clean:
	rm -rf build build-asan build-tsan build-* dist
