.PHONY: setup build test demo bench schemas clean

setup:
	node scripts/setup.mjs

build: setup
	node_modules/.bin/bun run scripts/build.ts

test: setup
	bash scripts/test.sh

demo:
	npm run demo

schemas: setup
	node_modules/.bin/bun run scripts/generate_schemas.ts

bench: build
	node_modules/.bin/bun run scripts/bench/startup.ts
	node_modules/.bin/bun run scripts/bench/compile.ts
	node_modules/.bin/bun run scripts/bench/files.ts

clean:
	rm -rf dist
