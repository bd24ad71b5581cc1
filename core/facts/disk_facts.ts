import { statfsSync } from "node:fs";
import type { FactGroup } from "./fact_group.ts";
import { readIfExists } from "./basic_facts.ts";
import { stdoutOf } from "./probe.ts";

export interface DiskFacts {
  device: string;
  mount: string;
  fs_type: string;
  size_mb: number;
  /** Space an unprivileged user can still use. */
  free_mb: number;
  used_pct: number;
}

/** Kernel and memory-backed file systems: not disks anyone provisions onto. */
const PSEUDO_FS = new Set([
  "proc", "sysfs", "devtmpfs", "devpts", "tmpfs", "cgroup", "cgroup2", "securityfs", "pstore", "debugfs",
  "tracefs", "mqueue", "hugetlbfs", "configfs", "fusectl", "binfmt_misc", "autofs", "bpf", "nsfs",
  "rpc_pipefs", "ramfs", "efivarfs", "selinuxfs", "nfsd", "fuse.lxcfs", "devfs", "squashfs",
]);

/** Mounted file systems with their size: /proc/self/mounts and statfs on Linux, `df -kP` elsewhere. */
export const diskGroup: FactGroup = {
  name: "disks",
  probes: (platform) => (platform === "linux" ? [] : platform === "windows" ? [] : [{ argv: ["df", "-kP"] }]),
  compute({ platform, results }) {
    if (platform === "linux") return linuxDisks(readIfExists("/proc/self/mounts") ?? "");
    return parseDf(stdoutOf(results[0]));
  },
};

function linuxDisks(mounts: string): DiskFacts[] {
  const byMount = new Map<string, DiskFacts>();
  for (const line of mounts.split("\n")) {
    const [device, mount, fsType] = line.split(" ").map(unescapeMount);
    if (!device || !mount || !fsType || PSEUDO_FS.has(fsType)) continue;
    try {
      const stats = statfsSync(mount);
      const size = toMb(stats.blocks * stats.bsize);
      const free = toMb(stats.bavail * stats.bsize);
      const used = size - toMb(stats.bfree * stats.bsize);
      byMount.set(mount, { device, mount, fs_type: fsType, size_mb: size, free_mb: free, used_pct: percent(used, used + free) });
    } catch {
      // A mount the user may not stat (or one that vanished) is not a disk we can describe.
    }
  }
  return [...byMount.values()].filter((d) => d.size_mb > 0);
}

/** POSIX `df -kP`: `Filesystem 1024-blocks Used Available Capacity Mounted-on`. */
export function parseDf(text: string): DiskFacts[] {
  return text.split("\n").slice(1).flatMap((line) => {
    const match = /^(.+?)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)%\s+(\/.*)$/.exec(line.trim());
    if (!match) return [];
    const [, device, size, used, avail, , mount] = match;
    const sizeMb = Math.floor(Number(size) / 1024);
    if (sizeMb === 0) return [];
    const usedKb = Number(used);
    return [{ device: device!, mount: mount!, fs_type: "", size_mb: sizeMb, free_mb: Math.floor(Number(avail) / 1024), used_pct: percent(usedKb, usedKb + Number(avail)) }];
  });
}

/** /proc/self/mounts writes spaces and tabs in paths as octal escapes. */
function unescapeMount(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

function toMb(bytes: number): number {
  return Math.floor(bytes / (1024 * 1024));
}

function percent(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 100) : 0;
}
