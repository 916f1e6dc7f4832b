# mkt — the two set-up commands of the README, and the checks CI runs.
#   make demo   build mkt and run its main job on the shipped examples (embedded SQLite)
#   make test   run the whole test suite
# Both install the Debian packages mkt needs first, if any is missing.

SHELL := /bin/bash
DEBS := libsqlite3-dev libxml2-dev libcurl4-openssl-dev zlib1g-dev pkg-config sqlite3 python3
DEMO_DB ?= demo.db
BIN := .build/release/mkt

.PHONY: deps build demo test hostile sanitizers lint docs docs-check clean-demo

deps:
	@missing=$$(for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:" $$missing; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	swift build -c release --product mkt

demo: build
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
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
	$(BIN) suggest pull --db $(DEMO_DB)
	$(BIN) search merinno --facets brand,category,price,availability --db $(DEMO_DB)

test: deps
	swift test

# The hostile-input probe suite against the built binary (Tests/Hostile/README.md; needs root
# for the read-only database cases, as CI runs).
hostile: deps
	swift build --product mkt
	python3 Tests/Hostile/probes.py --mkt .build/debug/mkt

# AddressSanitizer and ThreadSanitizer runs of the suite, each in its own build folder
# (RELIABILITY.md §2: libXCTest's own leaks are suppressed, TSan runs without Mutex).
sanitizers: deps
	LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/lsan.supp swift test --sanitize=address --scratch-path .build-asan
	swift test --sanitize=thread --scratch-path .build-tsan

lint:
	swift format lint --strict -r Sources Tests Package.swift

docs:
	scripts/generate-docs.sh

docs-check:
	scripts/generate-docs.sh --check

clean-demo:
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
