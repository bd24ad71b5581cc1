import { availableParallelism, cpus } from "node:os";
import type { FactGroup } from "./fact_group.ts";
import { readIfExists } from "./basic_facts.ts";
import { stdoutOf } from "./probe.ts";

export interface CpuFacts {
  model: string;
  vendor: string;
  /** Logical processors, as `cpu_cores`. */
  cores: number;
  /** Distinct physical cores where the platform says, else the logical count. */
  physical_cores: number;
  flags: string[];
  avx: boolean;
  avx2: boolean;
  avx512: boolean;
}

/** CPU model and instruction-set flags: /proc/cpuinfo on Linux, sysctl on macOS. */
export const cpuGroup: FactGroup = {
  name: "cpu",
  probes: (platform) => (platform === "darwin" ? [{ argv: ["sysctl", "-n", "machdep.cpu.features", "machdep.cpu.leaf7_features"] }] : []),
  compute({ platform, results }) {
    if (platform === "linux") return parseCpuInfo(readIfExists("/proc/cpuinfo") ?? "");
    const flags = stdoutOf(results[0]).toLowerCase().split(/\s+/).filter(Boolean);
    return cpuFacts(cpus()[0]?.model ?? "", "", availableParallelism(), availableParallelism(), flags);
  },
};

/** The first processor's model and flags (x86 `flags`, ARM `Features`) and the core counts of /proc/cpuinfo. */
export function parseCpuInfo(text: string): CpuFacts {
  const processors = text.split(/\n\s*\n/).filter((block) => block.trim()).map(parseBlock);
  const first = processors[0] ?? {};
  const physical = new Set(processors.filter((p) => p["core id"] !== undefined).map((p) => `${p["physical id"]}:${p["core id"]}`));
  const logical = processors.length || availableParallelism();
  const model = first["model name"] ?? first.Model ?? first["Processor"] ?? cpus()[0]?.model ?? "";
  const flags = (first.flags ?? first.Features ?? "").split(/\s+/).filter(Boolean);
  return cpuFacts(model, first.vendor_id ?? first["CPU implementer"] ?? "", logical, physical.size || logical, flags);
}

function parseBlock(block: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of block.split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) fields[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return fields;
}

function cpuFacts(model: string, vendor: string, cores: number, physicalCores: number, flags: string[]): CpuFacts {
  return {
    model: model.trim(),
    vendor,
    cores,
    physical_cores: physicalCores,
    flags,
    avx: flags.includes("avx") || flags.includes("avx1.0"),
    avx2: flags.includes("avx2"),
    avx512: flags.some((f) => f.startsWith("avx512")),
  };
}
