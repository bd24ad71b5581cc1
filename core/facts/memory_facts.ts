import { freemem, totalmem } from "node:os";
import type { FactGroup } from "./fact_group.ts";
import { readIfExists } from "./basic_facts.ts";
import { stdoutOf } from "./probe.ts";

export interface MemoryFacts {
  total_mb: number;
  /** Available for new work without swapping (MemAvailable on Linux). */
  free_mb: number;
  swap_total_mb: number;
  swap_free_mb: number;
}

const MB = 1024 * 1024;

/** Memory and swap: /proc/meminfo on Linux, os and `sysctl vm.swapusage` elsewhere. */
export const memoryGroup: FactGroup = {
  name: "memory",
  probes: (platform) => (platform === "darwin" ? [{ argv: ["sysctl", "-n", "vm.swapusage"] }] : []),
  compute({ platform, results }) {
    if (platform === "linux") {
      const meminfo = readIfExists("/proc/meminfo");
      if (meminfo) return parseMeminfo(meminfo);
    }
    const swap = parseSwapUsage(stdoutOf(results[0]));
    return { total_mb: Math.floor(totalmem() / MB), free_mb: Math.floor(freemem() / MB), ...swap };
  },
};

export function parseMeminfo(text: string): MemoryFacts {
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(text)?.[1] ?? 0);
  const mb = (value: number) => Math.floor(value / 1024);
  return {
    total_mb: mb(kb("MemTotal")),
    free_mb: mb(kb("MemAvailable") || kb("MemFree")),
    swap_total_mb: mb(kb("SwapTotal")),
    swap_free_mb: mb(kb("SwapFree")),
  };
}

/** `total = 2048.00M  used = 1024.00M  free = 1024.00M  (encrypted)` from macOS sysctl. */
export function parseSwapUsage(text: string): Pick<MemoryFacts, "swap_total_mb" | "swap_free_mb"> {
  const value = (key: string) => {
    const match = new RegExp(`${key} = ([\\d.]+)([KMG])`).exec(text);
    if (!match) return 0;
    const factor = { K: 1 / 1024, M: 1, G: 1024 }[match[2] as "K" | "M" | "G"];
    return Math.floor(Number(match[1]) * factor);
  };
  return { swap_total_mb: value("total"), swap_free_mb: value("free") };
}
