// One `bun build --compile` of cli/main.ts, with the build facts `mooncake version` reports
// (git commit, target) baked in through --define. Used by build.ts (this machine) and dist.ts
// (every platform).
import { join } from "node:path";
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

/** Compiles the binary; bytecode makes it start faster and minify keeps it smaller. Throws on failure. */
export function compileBinary({ target, runtime, outfile, commit }: CompileOptions): void {
  const argv = [process.execPath, "build", "--compile", "--bytecode", "--minify"];
  if (runtime) argv.push(`--target=${target.bunTarget}`, `--compile-executable-path=${runtime}`);
  argv.push(
    "--define", `MOONCAKE_COMMIT=${JSON.stringify(commit)}`,
    "--define", `MOONCAKE_TARGET=${JSON.stringify(target.name)}`,
    "cli/main.ts", "--outfile", outfile,
  );
  const build = Bun.spawnSync(argv, { cwd: root, stdout: "inherit", stderr: "inherit" });
  if (build.exitCode !== 0) throw new Error(`Cannot compile ${target.name}: bun build exited with ${build.exitCode}`);
}
