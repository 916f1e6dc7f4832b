# mkt — the two set-up commands of the README, and the checks CI runs.
#   make demo   build mkt and run its main job on the shipped examples (embedded SQLite)
#   make test   run the whole test suite
# Both install the Debian packages mkt needs first, if any is missing.
#   make install  put mkt on the PATH: $(PREFIX)/bin, man pages, completions (PREFIX=~/.local
#                 without root; default /usr/local)
#   make tour     run the README's tour (examples/tour.sh) and the docs/recipes scripts

SHELL := /bin/bash
DEBS := curl libssl-dev libsqlite3-dev libxml2-dev libcurl4-openssl-dev zlib1g-dev pkg-config sqlite3 python3
DEMO_DB ?= demo.db
BIN := .build/release/mkt
# The release binary carries the Swift runtime and Foundation inside it: it runs on a machine
# without a Swift toolchain, and each process starts 6 ms sooner (no symbol lookups across a
# dozen Swift libraries; `mkt --version` 15.8 ms instead of 21.9 ms).
RELEASE := -c release --product mkt --static-swift-stdlib

# Where `make install` puts mkt, its man pages and its completions. DESTDIR stages for packaging.
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(DESTDIR)$(PREFIX)/bin
MAN1DIR = $(DESTDIR)$(PREFIX)/share/man/man1
BASHCOMPDIR = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISHCOMPDIR = $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
SOURCES := $(shell find Sources -name '*.swift' -o -name '*.json' -o -name '*.h' 2>/dev/null) Package.swift

.PHONY: deps build demo test hostile sanitizers asan tsan lint table-owners docs docs-check clean-demo install uninstall tour

deps:
	@missing=$$(for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  log=$$(mktemp); \
	  if $$SUDO apt-get update -qq >"$$log" 2>&1 && DEBIAN_FRONTEND=noninteractive \
	    $$SUDO apt-get install -y -qq $$missing >>"$$log" 2>&1; then \
	    echo "installed Debian packages:" $$missing; rm -f "$$log"; \
	  else \
	    cat "$$log" >&2; echo "could not install:" $$missing "(apt-get's output above)" >&2; \
	    rm -f "$$log"; exit 1; \
	  fi; \
	fi

build: deps
	swift build $(RELEASE)

demo: build
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm $(DEMO_DB)-search $(DEMO_DB)-words demo-orders.csv \
	  demo-orders-next.csv demo-report.html demo-remote.db demo-remote.db-wal demo-remote.db-shm \
	  demo-remote.db-search demo-remote.db-words demo-serve.log
	$(BIN) init --db $(DEMO_DB)
	$(BIN) merchant import examples/merchants.csv --db $(DEMO_DB)
	$(BIN) merchant list --db $(DEMO_DB)
	$(BIN) db info --db $(DEMO_DB)
	$(BIN) db check --db $(DEMO_DB)
	$(BIN) feed check examples/feeds/kuechenwelt-de.xml examples/feeds/maison-lumiere-fr.xml examples/feeds/sklep-krakow-pl.csv
	$(BIN) feed check examples/feeds/wollwerk-de-shopify.csv --currency EUR --shop-url https://wollwerk.example
	$(BIN) import examples/feeds/kuechenwelt-de.xml --merchant kuechenwelt-de --language de --db $(DEMO_DB)
	$(BIN) import examples/feeds/maison-lumiere-fr.xml --merchant maison-lumiere-fr --language fr --db $(DEMO_DB)
	$(BIN) import examples/feeds/sklep-krakow-pl.csv --merchant krakow-pl --language pl --db $(DEMO_DB)
	$(BIN) import examples/feeds/wollwerk-de-shopify.csv --merchant wollwerk-de --language de \
	  --currency EUR --shop-url https://wollwerk.example --db $(DEMO_DB)
	$(BIN) catalog stats --db $(DEMO_DB)
	$(BIN) catalog list --db $(DEMO_DB) --limit 5
	$(BIN) currency import examples/ecb/eurofxref-hist.xml --db $(DEMO_DB)
	$(BIN) pricing load examples/pricing/rules.yaml --db $(DEMO_DB)
	for country in DE FR CH; do \
	  $(BIN) pricing quote --product KWM-1002 --country $$country \
	    --at 2026-11-28T12:00:00+01:00 --db $(DEMO_DB) || exit 1; \
	done
	@echo; echo "== warehouses and a stock sync"
	$(BIN) import examples/feeds/acme-de.csv --merchant acme-de --language de --db $(DEMO_DB)
	$(BIN) inventory warehouse add BER1 --merchant acme-de --country DE --serves DE,AT,PL \
	  --db $(DEMO_DB)
	$(BIN) inventory warehouse add HAM1 --merchant acme-de --name "Hamburg Hafen" --country DE \
	  --serves DE,NL,DK --db $(DEMO_DB)
	$(BIN) inventory sync examples/inventory/stock.csv --merchant acme-de --db $(DEMO_DB)
	@echo; echo "== orders: paid, held for review, and one refused with its reason (exit 65)"
	$(BIN) orders place examples/orders/orders.ndjson --concurrency 1 --db $(DEMO_DB); \
	  status=$$?; [ $$status -eq 65 ] || { echo "expected exit 65, got $$status" >&2; exit 1; }
	$(BIN) orders list --db $(DEMO_DB)
	@echo; echo "== fraud rules and thresholds: iDEAL pending, one held for review, one refused (exit 65)"
	$(BIN) fraud rules load examples/fraud/rules.yaml --db $(DEMO_DB)
	$(BIN) fraud policy acme-de --review 0.8 --block 0.95 --db $(DEMO_DB)
	$(BIN) orders place examples/orders/more.ndjson --concurrency 1 --db $(DEMO_DB); \
	  status=$$?; [ $$status -eq 65 ] || { echo "expected exit 65, got $$status" >&2; exit 1; }
	$(BIN) fraud review list --db $(DEMO_DB)
	$(BIN) fraud refusals --db $(DEMO_DB)
	@echo; echo "== an incremental export and a sales report"
	$(BIN) orders export --since-last demo-export -o demo-orders.csv --db $(DEMO_DB)
	$(BIN) orders export --since-last demo-export -o demo-orders-next.csv --db $(DEMO_DB)
	$(BIN) report sales --by country --db $(DEMO_DB)
	@echo; echo "== shopper events: a funnel, an A/B test and an HTML report"
	$(BIN) ab create checkout-button --variants control,b --min-effect 30% --baseline 0.05 \
	  --db $(DEMO_DB)
	$(BIN) events ingest examples/events/shop-week.jsonl --db $(DEMO_DB)
	$(BIN) report funnel --db $(DEMO_DB)
	$(BIN) ab report checkout-button --db $(DEMO_DB)
	$(BIN) report overview --currency EUR --html demo-report.html --db $(DEMO_DB)
	@echo; echo "== recommendations for one shopper, explained, and a product's rating and badges"
	$(BIN) recs train --db $(DEMO_DB)
	$(BIN) recs for-user u41 --explain -n 5 --db $(DEMO_DB)
	$(BIN) ratings import examples/ratings/product-reviews.xml --db $(DEMO_DB)
	$(BIN) catalog show ACME-1001 --merchant acme-de --db $(DEMO_DB)
	@echo; echo "== search"
	$(BIN) suggest pull --db $(DEMO_DB)
	$(BIN) search merinno --facets brand,category,price,availability --db $(DEMO_DB)
	@echo; echo "== serve and push: a second instance on a free port, the catalog pushed to it, curl"
	examples/serve/demo.sh $(BIN) $(DEMO_DB)
	@echo; echo "== done: the database is $(CURDIR)/$(DEMO_DB) (demo-orders.csv holds the export,"
	@echo "   demo-report.html the events report: open it in a browser)"
	@echo "   try: $(BIN) search --db $(DEMO_DB) schürze --facets brand,price"
	@echo "        $(BIN) orders list --status review --db $(DEMO_DB)"
	@echo "        $(BIN) report sales --by day --currency CHF --db $(DEMO_DB)"
	@echo "   and the tour in the README (make install puts mkt on your PATH)"

# Swift Testing only: XCTest has no tests here and would print "Executed 0 tests" twice.
# The HTML report test renders pages in headless Chromium (Debian's chromium).
test: deps
	@$(MAKE) --no-print-directory deps DEBS=chromium
	swift test --disable-xctest

# The hostile-input probe suite against the built binary (Tests/Hostile/README.md; needs root
# for the read-only database cases, as CI runs).
hostile: deps
	swift build --product mkt
	python3 Tests/Hostile/probes.py --mkt .build/debug/mkt

# AddressSanitizer and ThreadSanitizer runs of the suite, each in its own build folder
# (RELIABILITY.md §2: libXCTest's own leaks are suppressed, TSan runs without Mutex).
# MKT_SANITIZER leaves out the two tests that ingest hundreds of thousands of events.
# ThreadSanitizer runs the library suites, where the threads are (import pipeline, ingest
# reader, order placement, caches, the server); the command-line suite drives the same code
# through ArgumentParser and runs under AddressSanitizer only.
# Line tables only (no full debug info): reports keep files and lines, the builds take less.
# CI runs `asan` on every run and leaves `tsan` (a third full build, ~9 minutes on 2 cores) to
# changes of threads, locks or shared state: run `make tsan` before landing one.
SANITIZER_FLAGS = --disable-xctest -Xswiftc -gline-tables-only
sanitizers: asan tsan

asan: deps
	MKT_SANITIZER=address LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/lsan.supp \
	  ASAN_OPTIONS=suppressions=$(CURDIR)/Tests/asan.supp \
	  swift test $(SANITIZER_FLAGS) --sanitize=address --scratch-path .build-asan

tsan: deps
	MKT_SANITIZER=thread swift test $(SANITIZER_FLAGS) --sanitize=thread --scratch-path .build-tsan --skip mktTests

lint:
	swift format lint --strict -r Sources Tests Package.swift
	python3 scripts/table-owners.py

# One owner per table: only the module scripts/table-owners.txt names writes a table's rows
# (`python3 scripts/table-owners.py --list` shows who writes what).
table-owners:
	python3 scripts/table-owners.py

docs:
	scripts/generate-docs.sh

docs-check:
	scripts/generate-docs.sh --check

clean-demo:
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm $(DEMO_DB)-search $(DEMO_DB)-words demo-orders.csv \
	  demo-orders-next.csv demo-remote.db demo-remote.db-wal demo-remote.db-shm \
	  demo-remote.db-search demo-remote.db-words demo-serve.log

# The release binary, built only when it is missing or older than the sources.
$(BIN): $(SOURCES)
	@$(MAKE) --no-print-directory deps
	swift build $(RELEASE)

install: $(BIN)
	install -d $(BINDIR) $(MAN1DIR) $(BASHCOMPDIR) $(ZSHCOMPDIR) $(FISHCOMPDIR)
	install -m 0755 $(BIN) $(BINDIR)/mkt
	install -m 0644 man/*.1 $(MAN1DIR)/
	install -m 0644 completions/mkt.bash $(BASHCOMPDIR)/mkt
	install -m 0644 completions/_mkt $(ZSHCOMPDIR)/_mkt
	install -m 0644 completions/mkt.fish $(FISHCOMPDIR)/mkt.fish
	@echo "installed $(BINDIR)/mkt, $$(ls man/*.1 | wc -l) man pages in $(MAN1DIR), completions for bash, zsh and fish"
	@case ":$$PATH:" in *":$(PREFIX)/bin:"*) ;; *) echo "note: $(PREFIX)/bin is not on your PATH; add it, e.g. in ~/.profile: export PATH=\"$(PREFIX)/bin:\$$PATH\"";; esac

uninstall:
	rm -f $(BINDIR)/mkt $(BASHCOMPDIR)/mkt $(ZSHCOMPDIR)/_mkt $(FISHCOMPDIR)/mkt.fish
	cd man && for page in *.1; do rm -f $(MAN1DIR)/$$page; done

# The README's tour and the docs/recipes scripts, run as written against the debug binary, each
# on a fresh database in a temporary folder (scripts/check-tour.sh: README and script agree).
tour: deps
	scripts/check-tour.sh
	swift build --product mkt
	MKT=.build/debug/mkt examples/tour.sh
	MKT=.build/debug/mkt examples/run-recipes.sh
