// Builds dist/mooncake for this machine: one self-contained executable (runtime included).
// Bytecode makes the compiled binary start faster; minify keeps it smaller.
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
mkdirSync(join(root, "dist"), { recursive: true });
const build = Bun.spawnSync(
  [process.execPath, "build", "--compile", "--bytecode", "--minify", "cli/main.ts", "--outfile", "dist/mooncake"],
  { cwd: root, stdout: "inherit", stderr: "inherit" },
);
process.exit(build.exitCode ?? 1);
