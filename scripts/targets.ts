// The platforms mooncake ships a binary for, and how each maps onto Bun's compile targets and
// the npm packages that hold Bun's runtime for it (the `bun` package's optional dependencies).

export interface Target {
  /** `linux-arm64-musl`: the suffix of the dist file name and what `mooncake version` reports. */
  name: string;
  os: "linux" | "darwin" | "windows";
  arch: "x64" | "arm64";
  libc: "glibc" | "musl" | null;
  /** Value of `bun build --target`. */
  bunTarget: string;
  /** npm package whose `bin/bun[.exe]` is the runtime the binary is built on. */
  runtimePackage: string;
  /** File name under dist/. */
  file: string;
}

function target(os: Target["os"], arch: Target["arch"], libc: Target["libc"] = null): Target {
  const suffix = libc === "musl" ? "-musl" : "";
  const name = `${os}-${arch}${suffix}`;
  return {
    name,
    os,
    arch,
    libc,
    bunTarget: `bun-${name}`,
    runtimePackage: `@oven/bun-${os}-${arch === "arm64" ? "aarch64" : "x64"}${suffix}`,
    file: `mooncake-${name}${os === "windows" ? ".exe" : ""}`,
  };
}

export const TARGETS: readonly Target[] = [
  target("linux", "x64", "glibc"),
  target("linux", "arm64", "glibc"),
  target("linux", "x64", "musl"),
  target("linux", "arm64", "musl"),
  target("darwin", "x64"),
  target("darwin", "arm64"),
  target("windows", "x64"),
  target("windows", "arm64"),
];

/** The target of the machine running this script (libc from the running Bun's own report). */
export function hostTarget(): Target {
  const os = process.platform === "win32" ? "windows" : process.platform;
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  const libc = os !== "linux" ? null : report?.header?.glibcVersionRuntime ? "glibc" : "musl";
  const found = TARGETS.find((t) => t.os === os && t.arch === process.arch && t.libc === libc);
  if (!found) throw new Error(`Cannot build for this machine: no target for ${os}-${process.arch}`);
  return found;
}
