// Builds dist/mooncake for this machine: one self-contained executable (runtime included).
// `make dist` builds every platform (scripts/dist.ts).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { compileBinary, gitCommit } from "./compile_binary.ts";
import { hostTarget } from "./targets.ts";

const root = join(import.meta.dir, "..");
mkdirSync(join(root, "dist"), { recursive: true });
await compileBinary({ target: hostTarget(), outfile: "dist/mooncake", commit: gitCommit() });
