# Common tasks. `make help` lists them.
SHELL := bash
GO ?= go
STATICCHECK ?= $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2
REDOCLY ?= npx --yes @redocly/cli@2.77.0

# Knobs: make bench BENCHTIME=100x BENCH=Whoami, make fuzz FUZZTIME=20000x.
BENCH ?= .
BENCHTIME ?= 1s
# Fuzz budgets are counts ("100000x"), not durations: Go 1.26's fuzz
# coordinator can fail a duration-bounded run with a spurious "context deadline
# exceeded" at the end of the window (golang/go#75804, fixed in Go 1.27); a
# count has no deadline to race. A duration (FUZZTIME=30s) works, at that risk.
FUZZTIME ?= 100000x
FUZZ_PKGS ?= ./stamp ./enclave ./policy ./internal/chain/eth ./internal/chain/solana ./sdk

.PHONY: help gen check-gen test race lint lint-spec bench fuzz quickstart version

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

gen: ## regenerate gen/ and sdk/operations.gen.go from api/openapi.yaml
	scripts/regen.sh

check-gen: ## fail if gen/ differs from what api/openapi.yaml generates
	scripts/regen.sh --check

test: ## run every test, failing on any skip not allowed in scripts/skipcheck/allowed.txt
	set -o pipefail; $(GO) test -json ./... | $(GO) run ./scripts/skipcheck

race: ## run every test with the race detector (what CI runs)
	$(GO) test -race ./...

lint: ## gofmt, go vet and staticcheck
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(STATICCHECK) ./...

lint-spec: ## lint api/openapi.yaml with Redocly CLI (from the npm registry)
	$(REDOCLY) lint --config api/redocly.yaml api/openapi.yaml

bench: ## run the benchmarks matching BENCH for BENCHTIME each (e.g. BENCHTIME=100x)
	$(GO) test -run='^$$' -bench='$(BENCH)' -benchtime=$(BENCHTIME) -benchmem ./...

fuzz: ## run each fuzz test of FUZZ_PKGS for FUZZTIME, saying which one runs
	@for pkg in $(FUZZ_PKGS); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "==> $$pkg $$f (-fuzztime=$(FUZZTIME))"; \
	    $(GO) test -run='^$$' -fuzz="^$$f$$" -fuzztime=$(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

quickstart: ## run the quickstart offline, on the in-process simulator
	$(GO) run ./examples/quickstart

version: ## print the version of the turnkey command
	$(GO) run ./cmd/turnkey version
