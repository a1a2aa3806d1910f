# The same commands the README shows and .ci/run uses.
.PHONY: run test generate lint ci bench

run:
	go run ./cmd/newsdesk serve --demo

test:
	go test -race -count=1 ./...

generate:
	go generate ./...

lint:
	gofmt -l $$(git ls-files '*.go')
	go vet ./...
	go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

bench:
	go test -run '^$$' -bench . -benchmem ./graph/ ./internal/vntext/

ci:
	bash .ci/run
