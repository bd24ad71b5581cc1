// One `bun build --compile` of cli/main.ts, with the build facts `mooncake version` reports
// (git commit, target) baked in through --define. Used by build.ts (this machine) and dist.ts
// (every platform).
import { join } from "node:path";
import { lazyClipanionStdio } from "./lazy_clipanion_stdio.ts";
import type { Target } from "./targets.ts";

const root = join(import.meta.dir, "..");

/** `abc123def456`, with `-dirty` when tracked files differ from the commit; `unknown` outside git. */
export function gitCommit(): string {
  const head = Bun.spawnSync(["git", "rev-parse", "--short=12", "HEAD"], { cwd: root, stderr: "ignore" });
  if (head.exitCode !== 0) return "unknown";
  const status = Bun.spawnSync(["git", "status", "--porcelain", "--untracked-files=no"], { cwd: root, stderr: "ignore" });
  const dirty = status.exitCode === 0 && status.stdout.toString().trim() !== "";
  return `${head.stdout.toString().trim()}${dirty ? "-dirty" : ""}`;
}

export interface CompileOptions {
  target: Target;
  /** Bun runtime of the target; omit for this machine's own target (the running Bun is used). */
  runtime?: string;
  outfile: string;
  commit: string;
}

/**
 * Compiles the binary. Bytecode makes it start faster and minify keeps it smaller; split into
 * ES module chunks, a command loads the code it imports and no more (the whole program as one
 * script cost every command a fifth of its start). The binary
 * never reads a bunfig.toml or .env from the directory it runs in: mooncake runs as root in
 * directories other users can write, and bunfig's `preload` would run their code. Throws on
 * failure.
 */
export async function compileBinary({ target, runtime, outfile, commit }: CompileOptions): Promise<void> {
  await Bun.build({
    entrypoints: [join(root, "cli", "main.ts")],
    compile: {
      outfile: join(root, outfile),
      ...(runtime ? { target: target.bunTarget as Bun.Build.CompileTarget, executablePath: runtime } : {}),
      autoloadBunfig: false,
      autoloadDotenv: false,
    },
    bytecode: true,
    format: "esm",
    splitting: true,
    minify: true,
    define: { MOONCAKE_COMMIT: JSON.stringify(commit), MOONCAKE_TARGET: JSON.stringify(target.name) },
    plugins: [lazyClipanionStdio],
  }).catch((error: unknown) => {
    throw new Error(`Cannot compile ${target.name}: ${error instanceof AggregateError ? error.errors.join("\n") : String(error)}`);
  });
}
