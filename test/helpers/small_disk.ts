import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { BINARY } from "./run_binary.ts";

export interface SmallDiskResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Whether this machine lets a test mount a tmpfs in a private mount namespace (root with unshare). */
export function canMountSmallDisk(): boolean {
  const probe = Bun.spawnSync(["unshare", "--mount", "--propagation", "private", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"], { stdout: "ignore", stderr: "ignore" });
  return probe.exitCode === 0;
}

/**
 * Runs a bash `script` in a private mount namespace with a tmpfs of `sizeKb` mounted on
 * `<dir>/disk`, so nothing outside sees it and it goes away with the namespace. The script gets
 * $DISK, $OUT (`<dir>/out`, outside the tmpfs: copy there what the test reads afterwards),
 * $BIN (the mooncake binary) and a `fill FREE` function that leaves FREE bytes free on $DISK.
 */
export function onSmallDisk(dir: string, sizeKb: number, script: string): SmallDiskResult {
  mkdirSync(join(dir, "disk"), { recursive: true });
  mkdirSync(join(dir, "out"), { recursive: true });
  const prelude = `set -u
mount -t tmpfs -o size=${sizeKb}k tmpfs "$DISK"
fill() { rm -f "$DISK/.filler"; local avail; avail=$(df --output=avail -B1 "$DISK" | tail -1); head -c $((avail > $1 ? avail - $1 : 0)) /dev/zero > "$DISK/.filler" 2>/dev/null || true; }
`;
  const result = Bun.spawnSync(["unshare", "--mount", "--propagation", "private", "bash", "-c", prelude + script], {
    env: { PATH: process.env.PATH ?? "", HOME: dir, DISK: join(dir, "disk"), OUT: join(dir, "out"), BIN: BINARY },
    stdout: "pipe",
    stderr: "pipe",
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}
