# HTX Market. `make run` starts the marketplace; `make test` runs every test.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c

BIN      := bin/htxmarket
VERSION  := $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X htxmarket/internal/app.Version=$(VERSION)
GO_FILES := $(shell find cmd internal migrations frontend/frontend.go -name '*.go' -o -name '*.sql' -o -name '*.yaml' 2>/dev/null)
FE_FILES := $(shell find frontend/src frontend/index.html frontend/vite.config.ts frontend/package.json -type f 2>/dev/null)
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: run test test-go test-e2e build frontend lint bench fmt db clean

## run: migrate, load the demo data, start the server and the worker on the local PostgreSQL (http://localhost:8080)
run: build db
	$(BIN) migrate up
	$(BIN) seed
	@$(BIN) worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; $(BIN) serve

## test: every test — Go (unit, store, HTTP against PostgreSQL) and the browser tests in Chromium
test: test-go test-e2e

test-go: db
	go test -count=1 ./...

test-e2e: build db
	cd frontend && HTXMARKET_BIN=../$(BIN) npm run check:api
	cd frontend && HTXMARKET_BIN=../$(BIN) npm run test:e2e

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

## lint: go vet and staticcheck
lint:
	go vet ./...
	go run $(STATICCHECK) ./...
	cd frontend && npm run typecheck
	cd frontend && npm run lint:effects

## bench: load figures of the HTTP platform and the Go benchmarks
bench: db
	go run ./cmd/htxbench -duration 10s -concurrency 32
	go test -run '^$$' -bench . -benchmem ./...

fmt:
	gofmt -w cmd internal migrations frontend/frontend.go

clean:
	rm -rf bin frontend/dist/assets frontend/dist/index.html
