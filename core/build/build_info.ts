import packageJson from "../../package.json" with { type: "json" };

// Set by scripts/compile_binary.ts through `bun build --define`; undeclared when run from source.
declare const MOONCAKE_COMMIT: string | undefined;
declare const MOONCAKE_TARGET: string | undefined;

export interface BuildInfo {
  version: string;
  /** Git commit the binary was built from (`-dirty` when it had uncommitted changes), or `unknown`. */
  commit: string;
  /** The dist target, e.g. `linux-arm64-musl`; `source` when not run from a compiled binary. */
  target: string;
  os: string;
  arch: string;
  /** `glibc` or `musl` on Linux, null elsewhere. */
  libc: string | null;
  /** Version of the Bun runtime inside the binary. */
  bun: string;
}

/** What this executable is: `mooncake version` prints it. */
export function buildInfo(): BuildInfo {
  const target = typeof MOONCAKE_TARGET === "string" ? MOONCAKE_TARGET : "source";
  const os = process.platform === "win32" ? "windows" : process.platform;
  const libc = os !== "linux" ? null : target.endsWith("-musl") ? "musl" : "glibc";
  return {
    version: packageJson.version,
    commit: typeof MOONCAKE_COMMIT === "string" ? MOONCAKE_COMMIT : "unknown",
    target,
    os,
    arch: process.arch,
    libc,
    bun: Bun.version,
  };
}
