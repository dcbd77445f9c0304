# Fanout — developer entry points. `make` or `make help` lists them.
SHELL := /bin/bash

GO      ?= go
COMPOSE ?= docker-compose
BIN     := bin

# The test services (see pkg/testenv): TEST_DATABASE_URL, TEST_REDIS_ADDR and
# CHROME_PATH pass through from the environment or the make command line
# (.ci/run sets them); when unset, the defaults of pkg/testenv apply.
$(foreach v,TEST_DATABASE_URL TEST_REDIS_ADDR CHROME_PATH,$(if $(value $(v)),$(eval export $(v))))

GO_TEST_FLAGS ?= -count=1 -p 2 -timeout 12m

.DEFAULT_GOAL := help
.PHONY: help build test chaos bench lint fmt-check vet up down demo migrate tidy compose-config clean

help: ## show this help
	@awk 'BEGIN {FS = ":.*## "; printf "Usage: make TARGET\n\nTargets:\n"} \
		/^[a-zA-Z0-9_-]+:.*## / {printf "  \033[36m%-15s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

build: ## build bin/fanout-{api,worker,fakesites,demo} and the CLI bin/fanout
	$(GO) build -o $(BIN)/fanout-api ./api
	$(GO) build -o $(BIN)/fanout ./api/cli
	$(GO) build -o $(BIN)/fanout-worker ./worker
	$(GO) build -o $(BIN)/fanout-fakesites ./deploy/fakesites
	$(GO) build -o $(BIN)/fanout-demo ./deploy/demo

vet: ## go vet ./...
	$(GO) vet ./...

fmt-check: ## fail if any Go file is not gofmt-formatted
	@files=$$(gofmt -l .); \
	if [ -n "$$files" ]; then echo "gofmt needed on:"; echo "$$files"; exit 1; fi; \
	echo "gofmt: ok"

test: ## what CI runs: provision Postgres, Redis and Chromium if missing (deploy/test.sh), go vet, gofmt check, all tests (two packages at a time; the browser tests inside a package stay serial)
	deploy/test.sh $(GO_TEST_FLAGS)

chaos: ## the fault suite alone (worker kills, Redis flush, Postgres down, cancels, SSE, fuzz): one line per scenario
	@set -o pipefail; CHAOS_SEED=$${CHAOS_SEED:-random} $(GO) test -count=1 -p 1 -v -timeout 10m ./deploy/chaos 2>&1 \
		| grep -E '^(CHAOS|--- FAIL|FAIL|ok)|seed|_test\.go:[0-9]+:'

bench: ## the benchmarks: micro-benchmarks, then the API load and publish throughput runs with their ratios (deploy/perf)
	$(GO) test -run '^$$' -bench . -benchmem $$($(GO) list ./... | grep -v /deploy/perf)
	$(GO) test -run '^$$' -bench . -benchtime=1x -timeout 20m ./deploy/perf

lint: vet fmt-check ## vet + gofmt + shellcheck of the scripts (if installed) + staticcheck (if installed)
	@if command -v shellcheck >/dev/null; then shellcheck -x deploy/*.sh .ci/run && echo "shellcheck: ok"; \
	else echo "shellcheck not installed (apt-get install shellcheck); skipped"; fi
	@if command -v staticcheck >/dev/null; then staticcheck ./...; \
	else echo "staticcheck not installed; skipped"; fi

up: ## start services, build, migrate, run fakesites+api+worker in the background (.run/env)
	deploy/up.sh

down: ## stop exactly what `make up` started
	deploy/down.sh

demo: ## up, run bin/fanout-demo against it, down (always); exits with the demo's status
	deploy/demo.sh

migrate: ## ensure services, build the api, apply the migrations
	deploy/up.sh --migrate-only

tidy: ## go mod tidy
	$(GO) mod tidy

compose-config: ## validate docker-compose.yml offline (placeholder secret if FANOUT_SECRET_KEY is unset)
	FANOUT_SECRET_KEY="$${FANOUT_SECRET_KEY:-compose-config-placeholder}" POSTGRES_PASSWORD="$${POSTGRES_PASSWORD:-compose-config-placeholder}" $(COMPOSE) -f docker-compose.yml config -q

clean: ## remove bin/ (keeps .run/; `make down && rm -rf .run` wipes local state)
	rm -rf $(BIN)
