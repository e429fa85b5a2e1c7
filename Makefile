# campaignd - see README.md.
#   make          build ./campaignd
#   make run      install missing packages, build, serve the demo on 127.0.0.1:8080
#   make test     install missing packages, build with ASan+UBSan, run every test
#   make fuzz     run each libFuzzer target for FUZZ_SECONDS (clang)
#   make fuzz-long  the same for FUZZ_LONG_SECONDS each (issue 9: 10^8 executions)
#   make install  the binary and campaignd(8) under $(DESTDIR)$(PREFIX) (/usr/local)
#   make deb      build/deb/campaignd_<version>_amd64.deb (debhelper, debian/)
#   make tsan     install missing packages, build with ThreadSanitizer, run the
#                 black-box concurrency tests against it (scripts/run-tsan.sh)

CC      ?= cc
PKGS    := libmicrohttpd jansson libjwt sqlite3 libpq libcrypto libcurl libsystemd
WARN    := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wcast-qual -Wsign-compare -Wformat=2 -Wvla
DEFS    := -D_GNU_SOURCE -DCAMPAIGND_LIBJWT_VERSION='"$(shell pkg-config --modversion libjwt 2>/dev/null)"'
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lpthread -lm

BUILD_DEPS := gcc make pkg-config libmicrohttpd-dev libjansson-dev libjwt-dev libsqlite3-dev \
              libpq-dev libssl-dev libcurl4-openssl-dev libsystemd-dev tzdata python3-yaml
TEST_DEPS  := $(BUILD_DEPS) libcmocka-dev python3-pytest python3-requests python3-jwt sqlite3 curl openssl \
              postgresql postgresql-client prometheus mandoc man-db systemd debhelper dpkg-dev \
              python3-jsonschema chromium
FUZZ_DEPS  := $(BUILD_DEPS) clang libclang-rt-14-dev
TSAN_DEPS  := $(TEST_DEPS) libtsan2

SRC  := $(filter-out src/main.c,$(wildcard src/*.c))
HDRS := $(wildcard src/*.h)
DEMO := demo/samples.json
# The console (GET /console): every file of console/, served as it is.
CONSOLE := $(sort $(wildcard console/*))

# Release build
OPT      := -O2 -g
REL_OBJ  := $(patsubst src/%.c,build/rel/%.o,$(SRC)) build/rel/main.o build/rel/asset_data.o
# Sanitized build for tests
SAN      := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
SAN_OBJ  := $(patsubst src/%.c,build/san/%.o,$(SRC)) build/san/asset_data.o
# ThreadSanitizer build of the server (make tsan).  Parsed documents, the
# listing cache, the remembered tokens and the rate limiter are shared by
# libmicrohttpd's worker threads; TSan sees a race between two requests on
# different threads even when they did not overlap in time, so the selected
# black-box tests (scripts/run-tsan.sh: concurrent requests, parallel creates
# and starts, the two-node races on PostgreSQL, shutdown with a request in
# flight, the cache and auth tests) run against it, on both back ends.  The
# same warnings as every build; -fsanitize=thread cannot be combined with
# ASan, so this is a build of its own.  The first report stops the process
# (halt_on_error=1) and fails the run, with its stacks printed.
TSAN     := -O1 -g -fno-omit-frame-pointer -fsanitize=thread
TSAN_OBJ := $(patsubst src/%.c,build/tsan/%.o,$(SRC)) build/tsan/asset_data.o
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,build/san/%,$(UNIT_SRC))
FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)
FUZZ_REPLAY := $(patsubst fuzz/%.c,build/san/replay_%,$(FUZZ_SRC))
FUZZ_BIN := $(patsubst fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))
FUZZ_SECONDS ?= 60
FUZZ_LONG_SECONDS ?= 600

.PHONY: all run test unit blackbox fuzz fuzz-long fuzz-replay deps deps-test clean bench bench-scale bench-runs tsan install deb
all: campaignd

campaignd: $(REL_OBJ)
	$(CC) $(OPT) -o $@ $^ $(PKG_LIBS)

# make install [PREFIX=/usr/local] [DESTDIR=] [INSTALL_BIN=campaignd]: the
# binary and its manual page (man/campaignd.8, mdoc).  INSTALL_BIN lets the
# tests install the build they already have.
PREFIX      ?= /usr/local
INSTALL_BIN ?= campaignd
install: $(INSTALL_BIN)
	install -D -m 0755 $(INSTALL_BIN) $(DESTDIR)$(PREFIX)/bin/campaignd
	install -D -m 0644 man/campaignd.8 $(DESTDIR)$(PREFIX)/share/man/man8/campaignd.8

# The package is built from a copy of the tracked files, so that the tree's
# own build/ and its uncommitted objects stay out of it.
deb:
	@scripts/deps.sh debhelper dpkg-dev $(BUILD_DEPS)
	rm -rf build/deb && mkdir -p build/deb/campaignd
	git ls-files -z | xargs -0 cp -d --parents -t build/deb/campaignd
	cd build/deb/campaignd && dpkg-buildpackage -b -us -uc
	@ls build/deb/campaignd_*_amd64.deb

build/rel/%.o: src/%.c $(HDRS) | build/rel
	$(CC) $(OPT) $(WARN) $(DEFS) $(PKG_CFLAGS) -c -o $@ $<

# Files built into the binary (src/asset.h): NAME=FILE pairs.
ASSETS := demo/samples.json=$(DEMO) openapi.json=build/openapi.json \
          $(foreach f,$(CONSOLE),$(f)=$(f))
ASSET_FILES := $(foreach a,$(ASSETS),$(lastword $(subst =, ,$(a))))

# The OpenAPI description is written in YAML and served as JSON.
build/openapi.json: openapi.yaml scripts/openapi-json.py src/version.h | build
	/usr/bin/python3 scripts/openapi-json.py openapi.yaml $@ src/version.h

build/asset_data.c: $(ASSET_FILES) scripts/embed.sh | build
	scripts/embed.sh $@ $(ASSETS)

build/rel/asset_data.o: build/asset_data.c src/asset.h | build/rel
	$(CC) $(OPT) $(WARN) -Isrc -c -o $@ $<

build/san/asset_data.o: build/asset_data.c src/asset.h | build/san
	$(CC) $(SAN) $(WARN) -Isrc -c -o $@ $<

build/san/%.o: src/%.c $(HDRS) | build/san
	$(CC) $(SAN) $(WARN) $(DEFS) $(PKG_CFLAGS) -c -o $@ $<

build/san/campaignd: build/san/main.o $(SAN_OBJ)
	$(CC) $(SAN) -o $@ $^ $(PKG_LIBS)

build/san/test_%: tests/unit/test_%.c tests/unit/testutil.h $(SAN_OBJ) | build/san
	$(CC) $(SAN) $(WARN) $(DEFS) -Isrc $(PKG_CFLAGS) -o $@ $< $(SAN_OBJ) $(PKG_LIBS) -lcmocka \
	    $(shell pkg-config --libs libcrypto)

build/tsan/%.o: src/%.c $(HDRS) | build/tsan
	$(CC) $(TSAN) $(WARN) $(DEFS) $(PKG_CFLAGS) -c -o $@ $<

build/tsan/asset_data.o: build/asset_data.c src/asset.h | build/tsan
	$(CC) $(TSAN) $(WARN) -Isrc -c -o $@ $<

build/tsan/campaignd: build/tsan/main.o $(TSAN_OBJ)
	$(CC) $(TSAN) -o $@ $^ $(PKG_LIBS)

build/san/replay_%: fuzz/%.c fuzz/replay_main.c $(SAN_OBJ) | build/san
	$(CC) $(SAN) $(WARN) $(DEFS) -Isrc $(PKG_CFLAGS) -o $@ $< fuzz/replay_main.c $(SAN_OBJ) $(PKG_LIBS)

build build/rel build/san build/tsan build/fuzz:
	mkdir -p $@

deps:
	@scripts/deps.sh $(BUILD_DEPS)

deps-test:
	@scripts/deps.sh $(TEST_DEPS)

# The npm tools of the tests (package.json; package-lock.json pins them):
# the OpenAPI linters and playwright-core.  The registry is needed once.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

run: deps
	$(MAKE) campaignd
	./campaignd serve --demo --listen 127.0.0.1:8080 --db ./campaignd.db

# The whole suite under ASan+UBSan.  The last line is the summary CI reads.
test: deps-test node_modules/.installed
	$(MAKE) build/san/campaignd $(UNIT_BIN) $(FUZZ_REPLAY)
	scripts/run-tests.sh

unit: $(UNIT_BIN)
	scripts/run-tests.sh unit

tsan:
	@scripts/deps.sh $(TSAN_DEPS)
	$(MAKE) build/tsan/campaignd
	scripts/run-tsan.sh

fuzz: 
	@scripts/deps.sh $(FUZZ_DEPS)
	$(MAKE) $(FUZZ_BIN)
	scripts/run-fuzz.sh $(FUZZ_SECONDS) $(FUZZ_BIN)

# Every target for FUZZ_LONG_SECONDS each (8 targets x 600 s: 80 minutes on
# this machine, well over 10^8 executions in all); not part of make test.
fuzz-long:
	@scripts/deps.sh $(FUZZ_DEPS)
	$(MAKE) $(FUZZ_BIN)
	scripts/run-fuzz.sh $(FUZZ_LONG_SECONDS) $(FUZZ_BIN)

build/fuzz/%: fuzz/%.c $(SRC) $(HDRS) build/asset_data.c | build/fuzz
	clang -O1 -g -fsanitize=fuzzer,address,undefined $(DEFS) -Isrc $(PKG_CFLAGS) -o $@ $< \
	    $(filter-out src/cli_%.c src/server.c src/demo.c,$(SRC)) build/asset_data.c $(PKG_LIBS)

bench: campaignd
	bench/run.sh

# Running campaigns (issue 10): dispatch rate, schedule lateness, the listing
# during a run; RUNS_* knobs at the top of bench/runs/bench.py.
bench-runs: deps
	$(MAKE) campaignd
	scripts/deps.sh wrk
	/usr/bin/python3 bench/runs/bench.py

# Get All Campaigns at scale (issue 7): see bench/scale/README.md for the SCALE_* knobs.
bench-scale: deps
	$(MAKE) campaignd
	bench/scale/run.sh

clean:
	rm -rf build campaignd
