# Nullaosta — build, run and test. `make run` starts the app; `make test` runs every test,
# installing first what a fresh Debian machine lacks (chromium, wasmbrowsertest, node).

SHELL      := /bin/bash
GO         ?= go
GOROOT     := $(shell $(GO) env GOROOT)
BIN        := $(CURDIR)/.bin
WASM       := web/app.wasm
SERVER     := bin/nullaosta
ADDR       ?= :8080
DATA       ?= ./data
# Browser tests run the wasm test binary in headless Chromium through wasmbrowsertest, which
# go test finds on PATH under the name go_js_wasm_exec; pure shared/ tests run under node with
# the toolchain's own go_js_wasm_exec.
BROWSER_PATH := $(BIN):$(PATH)
NODE_PATH_WASM := $(GOROOT)/lib/wasm:$(PATH)

GO_SOURCES := $(shell find app shared server -name '*.go' -not -path '*/testdata/*' 2>/dev/null) go.mod go.sum

.PHONY: all build run demo test deps vet fmt-check tidy-check test-native test-wasm test-browser test-e2e \
        bench bench-wasm wasm-size bench-client profile-client lighthouse bench-server profile-server bench-store bench-export bench-backoffice fuzz attack-memory refdata assets icons clean

all: build

PURGED_CSS := web/css/bootstrap-italia.app.css

build: $(SERVER) $(WASM) $(WASM).gz $(WASM).br wasm_exec.js $(PURGED_CSS)

# Each output is written beside its target and renamed into place, so a running server never
# serves a half-written file.
$(WASM): $(GO_SOURCES)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o $@.tmp ./app/wasm
	mv -f $@.tmp $@ && touch $@

# The part of Bootstrap Italia the app's Go sources can use (issue 12): 56 KB instead of 612 KB
# to parse before the first paint and to match on every change of the page.
$(PURGED_CSS): web/css/bootstrap-italia.min.css $(GO_SOURCES)
	$(GO) run ./app/internal/csspurge -css web/css/bootstrap-italia.min.css -out $@ app

# Precompressed twins: the server sends the best one the browser accepts, with its length.
$(WASM).gz: $(WASM)
	gzip -9 -c -n $(WASM) > $@.tmp && mv -f $@.tmp $@

# brotli is ~30% smaller than gzip; without the brotli command the server falls back to .gz.
$(WASM).br: $(WASM)
	@if command -v brotli >/dev/null; then brotli -q 11 -c $(WASM) > $@.tmp && mv -f $@.tmp $@; else echo "brotli not installed: serving app.wasm.gz only"; rm -f $@; fi

$(SERVER): $(GO_SOURCES)
	@mkdir -p bin
	$(GO) build -trimpath -o $@.tmp ./server
	mv -f $@.tmp $@ && touch $@

# wasm_exec.js must come from the toolchain that builds app.wasm: they are a matched pair.
wasm_exec.js: $(GOROOT)/lib/wasm/wasm_exec.js
	cp $< $@

run: build
	@mkdir -p $(DATA)
	./$(SERVER) -addr $(ADDR) -data $(DATA) -web web -dev

# A demonstration in $(DATA): accounts for every console (comune with enabled operators,
# pending patronato, Ministry, a Sportello per province used) and a few hundred applications,
# then the server. Every demo password is demo-nullaosta-2009; the accounts are printed.
demo: build
	@mkdir -p $(DATA)
	./$(SERVER) demo -data $(DATA)
	./$(SERVER) -addr $(ADDR) -data $(DATA) -web web -dev

# ---------------------------------------------------------------------------------------------
# Tests

test: deps vet fmt-check tidy-check test-native test-wasm test-browser test-e2e
	@echo "make test: all suites passed"

deps:
	@bash .ci/deps.sh "$(BIN)"

vet:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./shared/... ./app/...
	$(GO) vet -tags e2e ./server/e2e/
	$(GO) vet -tags 'e2e bench' ./server/e2e/

fmt-check:
	@out=$$(gofmt -l app server shared); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# go.mod and go.sum must be what go mod tidy writes: direct dependencies marked direct, nothing
# stale. -diff changes nothing and fails with the diff when tidy would.
tidy-check:
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy"; exit 1; }

# Under one throwaway PostgreSQL cluster for the whole run (server/pgtest/pgcluster: initdb in a
# temporary folder, a free loopback port, stopped at the end even on failure); the store suite
# and the API tests run on SQLite and on PostgreSQL, and each test gets a database of its own.
test-native:
	$(GO) run ./server/pgtest/pgcluster -- $(GO) test -race -count=1 ./...

# shared/ compiled to wasm, run under node.
test-wasm:
	PATH="$(NODE_PATH_WASM)" GOOS=js GOARCH=wasm $(GO) test -count=1 ./shared/...

# The IndexedDB store and the send queue, in headless Chromium.
test-browser:
	PATH="$(BROWSER_PATH)" GOOS=js GOARCH=wasm $(GO) test -count=1 -p 1 ./app/store/... ./app/vault/... ./app/outbox/... ./app/client/...

# The whole journey in headless Chromium against the real server. Behind the e2e build tag so
# that `go test ./...` does not need a browser; here it always runs.
test-e2e: build
	$(GO) test -tags e2e -count=1 -timeout 15m ./server/e2e/...

# ---------------------------------------------------------------------------------------------
# Figures

bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./shared/...
	$(GO) test -run='^$$' -bench=Keystroke -benchmem ./app/compiler/

bench-wasm:
	PATH="$(NODE_PATH_WASM)" GOOS=js GOARCH=wasm $(GO) test -run='^$$' -bench=. -benchmem ./shared/...
	PATH="$(NODE_PATH_WASM)" GOOS=js GOARCH=wasm $(GO) test -run='^$$' -bench=Keystroke -benchmem ./app/compiler/

# What app.wasm is made of: sections, and function code per Go package (top 15), read from the
# name section of a build with symbols (app.wasm itself is built with -s -w), then the sizes of
# the served app.wasm and its compressed twins.
wasm-size: $(WASM) $(WASM).gz $(WASM).br
	GOOS=js GOARCH=wasm $(GO) build -trimpath -o bin/app-names.wasm ./app/wasm
	$(GO) run ./app/internal/wasmsize -top 15 bin/app-names.wasm
	@ls -l $(WASM) $(WASM).gz $(WASM).br | awk '{printf "%-22s %10d bytes\n", $$9, $$5}'

# The client's start-up and typing in headless Chromium (issue 12): app.wasm's sizes, cold load
# and offline reload split by phase, keystroke timings (TestFigures); INP while typing into a
# full EM module, unthrottled and with the CPU throttled 4× (TestTyping); the offline start of
# someone logged in to the unlock page and from «Sblocca» to the compiler, with a Chromium
# trace split by phase (TestOfflineStart). Build tag bench: measurements of a few minutes, not
# part of make test.
bench-client: build
	set -o pipefail; $(GO) test -tags 'e2e bench' -count=1 -timeout 20m -run '^(TestFigures|TestTyping|TestOfflineStart)$$' -v ./server/e2e/ | grep -v '^=== RUN'

# Where the time of the slow keystrokes goes (issue 12): TestTypingProfile types as TestTyping
# does, under V8's sampling profiler with the CPU throttled PROFILE_RATE×, and prints for every
# interaction over PROFILE_OVER ms its long animation frames and the functions on the stack,
# then the same over every keystroke and over the whole typing (PROFILE_FOCUS=f,g: what f and
# g spend their time in). The wasm frames need app.wasm's name section: it builds one and
# removes it after, so that the next make builds the served app.wasm again.
PROFILE_RATE ?= 4
PROFILE_OVER ?= 60
profile-client: $(SERVER) wasm_exec.js $(PURGED_CSS)
	rm -f $(WASM).gz $(WASM).br
	GOOS=js GOARCH=wasm $(GO) build -trimpath -o $(WASM).tmp ./app/wasm && mv -f $(WASM).tmp $(WASM)
	set -o pipefail; PROFILE_RATE=$(PROFILE_RATE) PROFILE_OVER=$(PROFILE_OVER) PROFILE_FOCUS='$(PROFILE_FOCUS)' \
	  $(GO) test -tags 'e2e bench' -count=1 -timeout 20m -run '^TestTypingProfile$$' -v ./server/e2e/ | grep -v '^=== RUN'; \
	  status=$$?; rm -f $(WASM); exit $$status

# Lighthouse 12 (from npm into .bin/lighthouse) with its mobile defaults on / and /accedi of the
# built server, against Debian's chromium; not part of make test (server/e2e/lighthouse.sh).
lighthouse: build
	bash server/e2e/lighthouse.sh

# SQLite, then PostgreSQL with one and with two instances, in the same run (server/loadgen/run.sh).
ENGINES ?= sqlite postgres
bench-server:
	ENGINES="$(ENGINES)" bash server/loadgen/run.sh

# The server under the load generator with CPU, allocation, mutex and block profiles (in
# ./profiles) and the top of each: N=20000 C=500 SECS=8 make profile-server
profile-server:
	bash server/loadgen/profile.sh

bench-store:
	$(GO) test -run='^$$' -bench=. ./server/sqlite/

# The Sportello's CSV export on 300,000 applications: time, rows/s, the server's memory.
bench-export: $(SERVER)
	$(GO) run ./server/exportbench -server $(SERVER) -rows 300000

# The back office at 300,000 applications: the time in the server of every console query
# (list pages first, middle and last, each filter, search, statistics, audit) and of the
# exports. BENCH_DIR keeps the filled database between runs (it is reused when present).
BENCH_ROWS ?= 300000
bench-backoffice: $(SERVER)
	$(GO) run ./server/exportbench -server $(SERVER) -rows $(BENCH_ROWS) -console $(if $(BENCH_DIR),-dir $(BENCH_DIR) -reuse)

FUZZTIME ?= 60s
fuzz:
	$(GO) test -run='^$$' -fuzz=FuzzValidate -fuzztime=$(FUZZTIME) -fuzzminimizetime=2s ./shared/
	$(GO) test -run='^$$' -fuzz=FuzzParseMoney -fuzztime=$(FUZZTIME) ./shared/
	$(GO) test -run='^$$' -fuzz=FuzzParseDate -fuzztime=$(FUZZTIME) ./shared/
	$(GO) test -run='^$$' -fuzz=FuzzCheck -fuzztime=$(FUZZTIME) ./shared/codicefiscale/
	$(GO) test -run='^$$' -fuzz=FuzzDecode -fuzztime=$(FUZZTIME) ./shared/codicefiscale/
	$(GO) test -run='^$$' -fuzz=FuzzCheckJSONTwins -fuzztime=$(FUZZTIME) ./server/api/
	@# The API's JSON decoders, one target per request type (corpus in server/api/testdata/fuzz).
	@for t in $$(sed -n 's/^func \(FuzzDecode[A-Za-z]*\)(.*/\1/p' server/api/fuzz_test.go); do \
		$(GO) test -run='^$$' -fuzz="^$$t\$$" -fuzztime=$(FUZZTIME) ./server/api/ || exit 1; done

# Issue 8's two memory attacks on loopback against the built server: peak RSS (VmHWM) and
# whether a person's requests are answered meanwhile; fails over 150 MB (server/attack).
attack-memory: $(SERVER)
	$(GO) run ./server/attack -server $(SERVER)

# ---------------------------------------------------------------------------------------------
# Generated, committed inputs (need npm)

refdata:
	bash shared/places/gen.sh

icons:
	$(GO) run ./app/internal/icongen -out web/icons

assets:
	bash web/fetch-assets.sh

clean:
	rm -rf bin $(WASM) $(WASM).gz $(BIN)
