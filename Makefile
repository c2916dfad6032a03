# Common tasks. `make help` lists them.
GO ?= go
STATICCHECK ?= $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2
REDOCLY ?= npx --yes @redocly/cli@2.77.0

.PHONY: help gen check-gen test race lint lint-spec bench fuzz quickstart

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

gen: ## regenerate gen/ and sdk/operations.gen.go from api/openapi.yaml
	scripts/regen.sh

check-gen: ## fail if gen/ differs from what api/openapi.yaml generates
	scripts/regen.sh --check

test: ## run every test with the race detector
	$(GO) test -race ./...

lint: ## gofmt, go vet and staticcheck
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(STATICCHECK) ./...

lint-spec: ## lint api/openapi.yaml with Redocly CLI (from the npm registry)
	$(REDOCLY) lint --config api/redocly.yaml api/openapi.yaml

bench: ## run the benchmarks
	$(GO) test -run='^$$' -bench=. -benchmem ./...

# Fuzz budgets are counts, not durations: Go 1.26's fuzz coordinator can fail a
# duration-bounded run with a spurious "context deadline exceeded" at the end of
# the window (golang/go#75804, fixed in Go 1.27); a count has no deadline to race.
FUZZ_EXECS ?= 100000

fuzz: ## run each fuzz test for FUZZ_EXECS executions
	@for pkg in ./stamp ./enclave ./policy; do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    $(GO) test -run='^$$' -fuzz="^$$f$$" -fuzztime=$(FUZZ_EXECS)x $$pkg || exit 1; \
	  done; \
	done

quickstart: ## run the offline quickstart
	$(GO) run ./examples/quickstart
