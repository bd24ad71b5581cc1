.PHONY: setup build dist test test-dist demo bench schemas clean

setup:
	node scripts/setup.mjs

build: setup
	node_modules/.bin/bun run scripts/build.ts

# Every platform's binary, SHA256SUMS and install.sh under dist/ (TARGETS=linux-x64,... for a subset).
dist: setup
	node_modules/.bin/bun run scripts/dist.ts

test: setup
	bash scripts/test.sh

# make dist, then the installer and the binaries of every platform (test/dist).
test-dist: setup
	bash scripts/test_dist.sh

demo:
	npm run demo

schemas: setup
	node_modules/.bin/bun run scripts/generate_schemas.ts

# Every benchmark in one table (scripts/bench/all.ts), each figure printed as it is measured;
# binary sizes only when make dist has built them.
bench: build
	node_modules/.bin/bun run scripts/bench/all.ts

clean:
	rm -rf dist
