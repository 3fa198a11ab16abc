# annals: common tasks. `make demo` and `make test` are what a newcomer runs.
GO       ?= go
BIN      := bin/annals
FUZZTIME ?= 30s
PKGS     := ./...

.PHONY: all build demo test check fmt vet staticcheck tidy fuzz bench scaling peers clean docs

all: build

build:
	$(GO) build -o $(BIN) ./cmd/annals

# Validate the curated samples, then write every export into out/.
demo: build
	./$(BIN) validate samples
	./$(BIN) convert samples --to xlsx -o out/annals.xlsx
	./$(BIN) convert samples --to csv -o out/csv
	./$(BIN) convert samples --to jsonld -o out/annals.jsonld
	./$(BIN) convert samples --to json -o out/annals.json
	./$(BIN) convert samples --to jsonl -o out/annals.jsonl
	./$(BIN) convert samples --to yaml -o out/annals.yaml
	./$(BIN) report samples -o out/report.html

test:
	$(GO) test -count=1 $(PKGS)

# Generated documentation: docs/codebook.md (checked in; a test fails when
# it is stale), and the man pages and shell completions in build/man and
# build/completion, for packagers (annals completion prints the latter too).
docs: build
	./$(BIN) schema --format markdown > docs/codebook.md
	./$(BIN) gendocs build

# Everything CI-grade: formatting, vet, staticcheck, tidy go.mod, race tests.
check: fmt vet staticcheck tidy
	$(GO) test -count=1 -race $(PKGS)

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

staticcheck:
	$(GO) tool staticcheck $(PKGS)

tidy:
	$(GO) mod tidy -diff

# Run every fuzz target for FUZZTIME each (go test runs one target at a time).
fuzz:
	@set -e; for pkg in $$($(GO) list $(PKGS)); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "== $$pkg $$t"; $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 5s $$pkg; \
	  done; \
	done

# Benchmarks: Go benchmarks per stage, the memory check of validate on a
# generated 100,000-record file, then records/s and peak memory of every
# command (SIZES="10000 100000 1000000" for the issue's full table;
# PROFILE=1 writes pprof CPU and allocation profiles into bench/profiles/).
bench: build
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)
	./bench/validate-memory.sh
	PROFILE=$(PROFILE) ./bench/run.sh

# Linear scaling: each command's time at ten times the records over its
# time at 100,000, the two sizes taking turns (about 10 minutes).
scaling:
	./bench/scaling.sh

# annals against ajv, the sourcemeta CLI, Python csv, exceljs, openpyxl and
# xlsxwriter on the same generated data, after a differential check of
# annals' and ajv's verdicts (installs the peers into bench/.peers/).
peers:
	./bench/peers.sh
	./bench/peers-extension.sh

clean:
	rm -rf bin out build
