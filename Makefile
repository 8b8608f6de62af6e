# The two commands of the README:
#   make demo   scans the bundled examples/
#   make test   installs and starts what the suite needs, then runs it all

.PHONY: build demo test unit fuzz docs bench

build:
	go build -o bin/immutcheck ./cmd/immutcheck

demo: build
	./bin/immutcheck scan examples/ || true

test:
	bash scripts/test.sh

unit:
	go test ./...

fuzz:
	bash scripts/fuzz.sh 30s

docs:
	go run ./cmd/immutcheck docs --out docs/rules
