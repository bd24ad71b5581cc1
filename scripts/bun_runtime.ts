// Bun runtimes of other platforms, for cross-compiling. They come from the npm registry (the
// `@oven/bun-<os>-<arch>` packages the `bun` package itself installs from), fetched with npm so
// npm's registry, proxy and integrity checks apply, and cached under node_modules/.cache so a
// second `make dist` needs no network.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Target } from "./targets.ts";

const cacheDir = join(import.meta.dir, "..", "node_modules", ".cache", "mooncake", "runtimes");

/** Where the Bun executable for `target` (at the running Bun's version) is cached. */
export function cachedRuntimePath(target: Target): string {
  return join(runtimeDir(target), "package", "bin", target.os === "windows" ? "bun.exe" : "bun");
}

function runtimeDir(target: Target): string {
  return join(cacheDir, `${target.runtimePackage.replace("/", "+")}@${Bun.version}`);
}

/** Path of the Bun executable for `target`, at the running Bun's version; downloads it once. */
export function bunRuntime(target: Target): string {
  const dir = runtimeDir(target);
  const executable = cachedRuntimePath(target);
  if (existsSync(executable)) return executable;

  mkdirSync(cacheDir, { recursive: true });
  const work = mkdtempSync(join(cacheDir, ".fetch-"));
  try {
    const spec = `${target.runtimePackage}@${Bun.version}`;
    run(["npm", "pack", spec, "--pack-destination", work, "--silent", "--no-fund", "--no-audit"], `download ${spec}`);
    const tarball = readdirSync(work).find((name) => name.endsWith(".tgz"));
    if (!tarball) throw new Error(`Cannot download ${spec}: npm pack wrote no tarball`);
    mkdirSync(join(work, "out"));
    run(["tar", "-xzf", join(work, tarball), "-C", join(work, "out")], `unpack ${tarball}`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(join(work, "out"), dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (!existsSync(executable)) throw new Error(`Cannot find ${executable} in ${target.runtimePackage}`);
  return executable;
}

function run(argv: string[], what: string): void {
  const result = Bun.spawnSync(argv, { stdout: "ignore", stderr: "pipe" });
  if (result.exitCode !== 0) throw new Error(`Cannot ${what}: ${result.stderr.toString().trim()}`);
}
