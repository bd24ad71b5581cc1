import { join } from "node:path";
import { sha256File } from "../fs/hash_file.ts";
import { readRegularFile } from "../fs/read_regular_file.ts";

/** A host's platform as the dist file names spell it: `linux-x64`, `linux-arm64-musl`, `darwin-arm64`. */
export type HostTarget = string;

/** A mooncake executable that can run on some host, with the hash that names it in the host's cache. */
export interface MooncakeBinary {
  readonly path: string;
  readonly sha256: string;
}

/** No binary for a host's platform; the message says what to give. */
export class BinaryUnavailableError extends Error {}

/** SHA256SUMS lists a few binaries: far below this. */
const MAX_SUMS_BYTES = 1 << 20;

const OS: Record<string, string> = { Linux: "linux", Darwin: "darwin" };
const ARCH: Record<string, string> = { x86_64: "x64", amd64: "x64", aarch64: "arm64", arm64: "arm64" };

/**
 * The target of a host from the first line of `uname -sm` and whether its C library is musl;
 * undefined for a platform mooncake has no binary for.
 */
export function hostTarget(uname: string, musl: boolean): HostTarget | undefined {
  const [system, machine] = uname.trim().split(/\s+/);
  const os = OS[system ?? ""];
  const arch = ARCH[machine ?? ""];
  if (!os || !arch) return undefined;
  return `${os}-${arch}${os === "linux" && musl ? "-musl" : ""}`;
}

/**
 * Finds the binary for each host target: the running executable when it was built for that
 * target, else `mooncake-<target>` from a `make dist` folder, checked against its SHA256SUMS.
 * Each file is hashed once per run, however many hosts share it.
 */
export class BinaryCatalog {
  private readonly found = new Map<HostTarget, Promise<MooncakeBinary>>();

  /** `self` is the running executable and the target it was built for (`source` when not compiled). */
  constructor(private readonly self: { path: string; target: string }, private readonly distDir?: string) {
    // Hashing a 100 MB binary takes a moment: it starts now, while the hosts connect.
    if (self.target !== "source") void this.binaryFor(self.target).catch(() => undefined);
  }

  binaryFor(target: HostTarget): Promise<MooncakeBinary> {
    let binary = this.found.get(target);
    if (!binary) {
      binary = this.locate(target);
      this.found.set(target, binary);
    }
    return binary;
  }

  private async locate(target: HostTarget): Promise<MooncakeBinary> {
    if (this.self.target === target) return { path: this.self.path, sha256: await sha256File(this.self.path) };
    if (this.distDir === undefined) {
      const running = this.self.target === "source" ? "this mooncake runs from source" : `this mooncake is built for ${this.self.target}`;
      throw new BinaryUnavailableError(`The host is ${target} and ${running}: give --dist DIR with the output of \`make dist\``);
    }
    const file = `mooncake-${target}`;
    const expected = expectedSum(this.distDir, file);
    const path = join(this.distDir, file);
    let actual: string;
    try {
      actual = await sha256File(path);
    } catch (e) {
      throw new BinaryUnavailableError(`Cannot read "${path}" for a ${target} host: ${(e as Error).message}`);
    }
    if (actual !== expected) throw new BinaryUnavailableError(`"${path}" does not match its SHA256SUMS (sha256 ${actual}, expected ${expected}): run \`make dist\` again`);
    return { path, sha256: actual };
  }
}

function expectedSum(distDir: string, file: string): string {
  const sumsPath = join(distDir, "SHA256SUMS");
  let sums: string;
  try {
    sums = readRegularFile(sumsPath, MAX_SUMS_BYTES).toString("utf8");
  } catch (e) {
    throw new BinaryUnavailableError(`Cannot read "${sumsPath}": ${(e as Error).message}; --dist names the folder \`make dist\` writes`);
  }
  for (const line of sums.split("\n")) {
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line.trim());
    if (match && match[2] === file) return match[1]!;
  }
  throw new BinaryUnavailableError(`"${sumsPath}" lists no ${file}: build it with \`make dist\``);
}
