import { basicFacts, type BasicFacts } from "./basic_facts.ts";
import { cpuGroup, type CpuFacts } from "./cpu_facts.ts";
import { diskGroup } from "./disk_facts.ts";
import type { FactGroup, GroupInput } from "./fact_group.ts";
import { gpuGroup, type GpuFacts } from "./gpu_facts.ts";
import { memoryGroup, type MemoryFacts } from "./memory_facts.ts";
import { networkGroup, type NetworkFacts } from "./network_facts.ts";
import { ollamaGroup } from "./ollama_facts.ts";
import { runProbe, runProbeSync, type Probe, type ProbeOptions, type ProbeResult } from "./probe.ts";
import { systemGroup, type SystemFacts } from "./system_facts.ts";
import { TOOLCHAINS, toolchainGroup } from "./toolchain_facts.ts";

const GROUPS: readonly FactGroup[] = [
  systemGroup, cpuGroup, memoryGroup, diskGroup, networkGroup, gpuGroup, ollamaGroup,
  ...Object.keys(TOOLCHAINS).map(toolchainGroup),
];

/** The flat names of the original mooncake, each read from a group (`cpu_model` is `cpu.model`). */
const FLAT_FACTS: Readonly<Record<string, readonly [group: string, pick: (value: any) => unknown]>> = {
  kernel_version: ["system", (s: SystemFacts) => s.kernel],
  cpu_model: ["cpu", (c: CpuFacts) => c.model],
  cpu_flags: ["cpu", (c: CpuFacts) => c.flags],
  cpu_flags_string: ["cpu", (c: CpuFacts) => c.flags.join(" ")],
  memory_free_mb: ["memory", (m: MemoryFacts) => m.free_mb],
  swap_total_mb: ["memory", (m: MemoryFacts) => m.swap_total_mb],
  swap_free_mb: ["memory", (m: MemoryFacts) => m.swap_free_mb],
  network_interfaces: ["network", (n: NetworkFacts) => n.interfaces],
  ip_addresses: ["network", (n: NetworkFacts) => n.ip_addresses],
  ip_addresses_string: ["network", (n: NetworkFacts) => n.ip_addresses.join(", ")],
  default_gateway: ["network", (n: NetworkFacts) => n.default_gateway],
  dns_servers: ["network", (n: NetworkFacts) => n.dns_servers],
  dns_servers_string: ["network", (n: NetworkFacts) => n.dns_servers.join(", ")],
  gpus: ["gpu", (g: GpuFacts) => g.devices],
  ...Object.fromEntries(Object.keys(TOOLCHAINS).map((tool) => [`${tool}_version`, [`toolchains.${tool}`, (v: string) => v] as const])),
};

const NESTED_GROUPS = ["system", "cpu", "memory", "disks", "network", "gpu", "ollama"];

export interface MachineFactsOptions {
  basic: BasicFacts;
  /** How long one probe (nvidia-smi, git --version, ...) may take before it is stopped. */
  timeoutMs: number;
  /** The PATH probes are looked up in. */
  path: string;
}

/**
 * Every fact of this machine as variables. The flat basic facts are plain values; every other
 * fact is a getter that computes its group the first time anything reads it, once per run,
 * so a config that reads no such fact runs no probe. Layer variables over `vars` with
 * Object.create (see layerVars): copying it would compute everything.
 */
export class MachineFacts {
  readonly vars: Readonly<Record<string, unknown>>;
  /** Milliseconds each computed group took, its probes included. */
  readonly timings = new Map<string, number>();
  private readonly values = new Map<string, unknown>();
  private readonly warnings: string[] = [];
  private warningsTaken = 0;

  constructor(private readonly options: MachineFactsOptions) {
    const vars = Object.assign(Object.create(null), options.basic) as Record<string, unknown>;
    for (const name of NESTED_GROUPS) defineLazy(vars, name, () => this.group(name));
    const toolchains = Object.create(null) as Record<string, unknown>;
    for (const tool of Object.keys(TOOLCHAINS)) defineLazy(toolchains, tool, () => this.group(`toolchains.${tool}`));
    vars.toolchains = toolchains;
    for (const [name, [group, pick]] of Object.entries(FLAT_FACTS)) defineLazy(vars, name, () => pick(this.group(group)));
    this.vars = vars;
  }

  /** A group's value, computed now (its probes one after another) if nothing read it before. */
  group(name: string): unknown {
    if (this.values.has(name)) return this.values.get(name);
    const spec = GROUPS.find((g) => g.name === name)!;
    const started = performance.now();
    const probes = spec.probes(this.options.basic.os);
    const results: ProbeResult[] = [];
    for (const probe of probes) results.push(sameProgramFailed(probes, results, probe) ?? runProbeSync(probe, this.probeOptions()));
    return this.settle(spec, results, performance.now() - started);
  }

  /** The group a fact is read from (`basic` for the flat basic facts, `cpu` for `cpu_model`); undefined when no fact has the name. */
  groupOf(name: string): string | undefined {
    if (Object.hasOwn(this.options.basic, name)) return "basic";
    if (NESTED_GROUPS.includes(name) || name === "toolchains") return name;
    return Object.hasOwn(FLAT_FACTS, name) ? FLAT_FACTS[name]![0] : undefined;
  }

  /** Computes every group not computed yet, running all their probes at once. */
  async collectAll(): Promise<void> {
    const pending = GROUPS.filter((g) => !this.values.has(g.name));
    const probed = await Promise.all(pending.map(async (g) => {
      const started = performance.now();
      const results = await Promise.all(g.probes(this.options.basic.os).map((p) => runProbe(p, this.probeOptions())));
      return { results, ms: performance.now() - started };
    }));
    pending.forEach((spec, i) => this.settle(spec, probed[i]!.results, probed[i]!.ms));
  }

  /** The facts computed so far (basic facts and every group read), as configs see them; `flat: false` leaves out the flat aliases of group members. */
  snapshot({ flat = true } = {}): Record<string, unknown> {
    const out: Record<string, unknown> = { ...this.options.basic };
    for (const name of NESTED_GROUPS) if (this.values.has(name)) out[name] = this.values.get(name);
    const tools = Object.keys(TOOLCHAINS).filter((tool) => this.values.has(`toolchains.${tool}`));
    if (tools.length > 0) out.toolchains = Object.fromEntries(tools.map((tool) => [tool, this.values.get(`toolchains.${tool}`)]));
    if (!flat) return out;
    for (const [name, [group, pick]] of Object.entries(FLAT_FACTS)) if (this.values.has(group)) out[name] = pick(this.values.get(group));
    return out;
  }

  /** Warnings (a probe that failed or hung) not returned by an earlier call. */
  takeWarnings(): string[] {
    const fresh = this.warnings.slice(this.warningsTaken);
    this.warningsTaken = this.warnings.length;
    return fresh;
  }

  private settle(spec: FactGroup, results: readonly ProbeResult[], probeMs: number): unknown {
    const started = performance.now();
    const input: GroupInput = { platform: this.options.basic.os, results, warn: (m) => this.warnings.push(m) };
    const value = spec.compute(input);
    this.values.set(spec.name, value);
    this.timings.set(spec.name, probeMs + performance.now() - started);
    return value;
  }

  private probeOptions(): ProbeOptions {
    return { timeoutMs: this.options.timeoutMs, path: this.options.path };
  }
}

/** A program that is missing or hung once is not asked again within the same group. */
function sameProgramFailed(probes: readonly Probe[], results: readonly ProbeResult[], probe: Probe): ProbeResult | undefined {
  return results.find((r, i) => probes[i]!.argv[0] === probe.argv[0] && (r.status === "missing" || r.status === "timeout"));
}

/**
 * An enumerable getter; assigning the name (a variable layered over the facts with the same
 * name, or a registered result) defines a plain value on the object assigned to instead.
 */
function defineLazy(target: object, name: string, get: () => unknown): void {
  Object.defineProperty(target, name, {
    enumerable: true,
    configurable: true,
    get,
    set(this: object, value: unknown) {
      Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
    },
  });
}

export const DEFAULT_PROBE_TIMEOUT_MS = 5000;

let machine: MachineFacts | undefined;

/** This machine's facts, one instance per process so each group is computed once per run. */
export function machineFacts(): MachineFacts {
  const seconds = Number(process.env.MOONCAKE_FACTS_TIMEOUT);
  machine ??= new MachineFacts({
    basic: basicFacts(),
    timeoutMs: seconds > 0 ? seconds * 1000 : DEFAULT_PROBE_TIMEOUT_MS,
    path: process.env.PATH ?? "",
  });
  return machine;
}
