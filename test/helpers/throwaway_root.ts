import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { BINARY } from "./run_binary.ts";

/** Why hostile tests cannot run here, or undefined when they can (root, unshare, chroot). */
export const throwawayRootUnavailable: string | undefined = (() => {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return "needs root on Linux";
  if (!Bun.which("unshare") || !Bun.which("chroot")) return "needs unshare and chroot";
  const probe = Bun.spawnSync(["unshare", "--mount", "--pid", "--fork", "true"]);
  return probe.exitCode === 0 ? undefined : "unshare --mount --pid is not allowed here";
})();

/**
 * Runs `script` as root inside a throwaway root: a private mount and pid namespace whose `/`
 * (by chroot) is a fresh tmpfs holding `files` and `links`, with the host's /usr and the
 * mooncake binary (as /opt/mc/mooncake) mounted read-only and /proc, /dev/null and
 * /dev/urandom bound in. Whatever the script does, even `rm -rf /*` through a link, dies with
 * the namespace and cannot reach the real machine. Returns the script's stdout and stderr.
 */
export function inThrowawayRoot(setup: { files: Record<string, string>; links?: Record<string, string> }, script: string): { stdout: string; stderr: string; exitCode: number } {
  const root = mkdtempSync(join(tmpdir(), "mooncake-root-"));
  const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
  const lines = [
    "set -e",
    `R=${quote(root)}`,
    'mount --make-rprivate / && mount -t tmpfs tmpfs "$R"',
    'mkdir -p "$R/usr" "$R/proc" "$R/dev" "$R/opt/mc" "$R/tmp"',
    'mount --rbind /usr "$R/usr" && mount -o remount,bind,ro "$R/usr"',
    `mount --bind ${quote(dirname(BINARY))} "$R/opt/mc" && mount -o remount,bind,ro "$R/opt/mc"`,
    'for d in null urandom zero; do touch "$R/dev/$d"; mount --bind "/dev/$d" "$R/dev/$d"; done',
    'mount -t proc proc "$R/proc"',
    'for l in bin:usr/bin sbin:usr/sbin lib:usr/lib lib64:usr/lib64; do ln -s "${l#*:}" "$R/${l%%:*}"; done',
    // Refuse to go on unless the host's trees really are read-only in here.
    'if touch "$R/usr/.mooncake-probe" 2>/dev/null; then echo "/usr is writable" >&2; exit 99; fi',
    ...Object.entries(setup.files).map(([path, content]) => `mkdir -p "$(dirname "$R/${path}")" && printf %s ${quote(content)} > "$R/${path}"`),
    ...Object.entries(setup.links ?? {}).map(([path, target]) => `mkdir -p "$(dirname "$R/${path}")" && ln -s ${quote(target)} "$R/${path}"`),
    'set +e',
    `chroot "$R" /bin/sh -c ${quote(script)}`,
  ];
  try {
    const result = Bun.spawnSync(["unshare", "--mount", "--pid", "--fork", "sh", "-c", lines.join("\n")], { stdout: "pipe", stderr: "pipe" });
    return { stdout: result.stdout.toString(), stderr: result.stderr.toString(), exitCode: result.exitCode ?? -1 };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
