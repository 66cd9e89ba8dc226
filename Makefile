# HTX Market. `make run` starts the marketplace; `make test` runs every test.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c

BIN      := bin/htxmarket
VERSION  := $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X htxmarket/internal/app.Version=$(VERSION)
GO_FILES := $(shell find cmd internal migrations frontend/frontend.go -name '*.go' -o -name '*.sql' -o -name '*.yaml' 2>/dev/null)
FE_FILES := $(shell find frontend/src frontend/index.html frontend/vite.config.ts frontend/package.json -type f 2>/dev/null)
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

# The PostgreSQL every target uses: DATABASE_URL when you set it, else the
# one deploy/dev/postgres.sh (`make db`) chose: .data/database-url when the
# machine's server asked for a password and a project-local cluster serves
# instead, or nothing, meaning the default 127.0.0.1:5432. Read as each
# command starts, so after `db` has run.
ifndef DATABASE_URL
export DATABASE_URL = $(shell cat .data/database-url 2>/dev/null)
endif

.PHONY: run test test-go test-e2e build frontend lint bench fuzz fmt db clean stripe-mock

## run: migrate, load the demo data, start the server and the worker on the local PostgreSQL (http://localhost:8080)
# The worker and the server run until Ctrl-C or SIGTERM (to them all, or to
# this recipe's shell, which passes it on); both then shut down cleanly,
# and the recipe ends with the server's status: 0.
run: build db
	$(BIN) migrate up
	$(BIN) seed
	@$(BIN) worker & worker=$$!; $(BIN) serve & serve=$$!; \
	trap 'kill -TERM $$serve $$worker 2>/dev/null || true' INT TERM; \
	trap 'kill -TERM $$worker 2>/dev/null || true; wait $$worker || true' EXIT; \
	while kill -0 $$serve 2>/dev/null; do wait $$serve || true; done; \
	wait $$serve

## test: every test — Go (unit, store, HTTP against PostgreSQL) and the browser tests in Chromium
test: test-go test-e2e

test-go: db stripe-mock
	go test -count=1 ./...
	@if command -v gcc >/dev/null 2>&1; then \
		go test -race -count=1 -run '$(RACE_TESTS)' ./internal/app/ ./internal/catalog/ ./internal/order/ ./internal/search/pgsearch/; \
	else echo "make: SKIPPED the race-detector run of the concurrency tests: it needs gcc (apt-get install gcc)"; fi

# RACE_TESTS are the tests of things that happen at once, run again under
# the race detector: overlapping index deliveries, simultaneous imports, an
# image re-uploaded while it is deleted, concurrent index writers, the last
# units of a variant.
RACE_TESTS := IndexDeliveriesOfOneProductStayOrdered|ConcurrentImports|DeletedImageKeepsTheFilesOfItsReupload|ConcurrentWritersAreNeverSkipped|SyncAppliesAllOrNothing|LastUnitsUnderConcurrency|ALineAddedWhileCheckoutWaits

test-e2e: build db
	cd frontend && HTXMARKET_BIN=../$(BIN) npm run check:api
	cd frontend && HTXMARKET_BIN=../$(BIN) npm run test:e2e

## stripe-mock: Stripe's own mock server, which the payment tests start (installed into $(go env GOPATH)/bin when missing)
STRIPE_MOCK := github.com/stripe/stripe-mock@v0.203.0
stripe-mock:
	@command -v stripe-mock >/dev/null 2>&1 || test -x "$$(go env GOPATH)/bin/stripe-mock" || go install $(STRIPE_MOCK)

## build: the frontend, then the binary that embeds it
build: $(BIN)

$(BIN): frontend/dist/index.html $(GO_FILES) go.mod go.sum
	go build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/htxmarket

frontend: frontend/dist/index.html

frontend/dist/index.html: frontend/node_modules/.package-lock.json $(FE_FILES)
	cd frontend && npm run build

frontend/node_modules/.package-lock.json: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund

## db: make sure PostgreSQL answers (starts an installed or project-local cluster)
db:
	@bash deploy/dev/postgres.sh

## lint: go vet, staticcheck and the frontend's type check
lint: frontend/node_modules/.package-lock.json
	go vet ./...
	go run $(STATICCHECK) ./...
	cd frontend && npm run typecheck
	cd frontend && npm run lint:effects

## bench: load figures of the HTTP platform and the Go benchmarks
bench: db
	BENCH_DATABASE_URL=$${BENCH_DATABASE_URL:-$$(sed -E 's#^([^?]*/)[^/?]*#\1htxmarket_bench#' <<<"$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/htxmarket?sslmode=disable}")} \
	go run ./cmd/htxbench -duration 10s -concurrency 32
	go test -run '^$$' -bench . -benchmem ./...

## fuzz: each fuzz target of the public inputs (internal/app/fuzz_*_test.go) for FUZZTIME; make test runs their seeds and bounded property tests
FUZZTIME ?= 30s
fuzz: db
	for f in FuzzQueryParameters FuzzJSONBodies FuzzCSVImport FuzzImageUpload; do \
		go test ./internal/app -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) || exit 1; done

fmt:
	gofmt -w cmd internal migrations frontend/frontend.go

clean:
	rm -rf bin frontend/dist/assets frontend/dist/index.html
