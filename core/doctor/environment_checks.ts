import { accessSync, constants, statfsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { MachineFacts } from "../facts/machine_facts.ts";
import type { GpuFacts } from "../facts/gpu_facts.ts";
import { runProbe } from "../facts/probe.ts";

export type CheckStatus = "ok" | "warn" | "fail";

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  /** How to fix it, for warn and fail. */
  fix?: string;
}

export interface DoctorOptions {
  facts: MachineFacts;
  artifactsDir: string;
  /** The PATH tools are looked up in. */
  path: string;
}

const SUPPORTED_OS = ["linux", "darwin", "windows"];
const SUPPORTED_ARCH = ["amd64", "arm64"];
const MIN_FREE_MB = 100;

/** Every environment check, in the order `mooncake doctor` prints them. */
export async function environmentChecks(options: DoctorOptions): Promise<CheckResult[]> {
  const { facts } = options;
  const started = performance.now();
  await facts.collectAll();
  const factsMs = performance.now() - started;
  const vars = facts.vars as Record<string, unknown>;
  const os = String(vars.os);
  const has = (program: string) => Boolean(Bun.which(program, { PATH: options.path }));
  const results: CheckResult[] = [
    platformCheck(os, String(vars.arch)),
    artifactsCheck(options.artifactsDir),
    await sudoCheck(os, options.path),
    os === "darwin"
      ? presence("service manager", has("launchctl"), "launchctl", "launchd steps need launchctl")
      : presence("service manager", os !== "linux" || has("systemctl"), "systemctl", "systemd steps need systemd (containers often run without it)"),
    presence("shell", has("bash") || has("sh"), has("bash") ? "bash" : "sh", "shell steps need bash or sh"),
    ...["rsync", "tar", "git", "curl"].map((tool) => presence(tool, has(tool), tool, `install ${tool} (sync uses rsync when present; otherwise its own copy)`, "warn")),
    gpuCheck(vars.gpu as GpuFacts, facts.takeWarnings()),
    factsTimingCheck(factsMs, facts.timings),
  ];
  return results;
}

function platformCheck(os: string, arch: string): CheckResult {
  const supported = SUPPORTED_OS.includes(os) && SUPPORTED_ARCH.includes(arch);
  return supported
    ? { name: "platform", status: "ok", detail: `${os}/${arch}` }
    : { name: "platform", status: "fail", detail: `${os}/${arch} is not a supported platform`, fix: `mooncake is built for ${SUPPORTED_OS.join(", ")} on ${SUPPORTED_ARCH.join(", ")}` };
}

/** The artifacts directory (or the nearest existing parent that would hold it) must be writable, with some space. */
function artifactsCheck(dir: string): CheckResult {
  const name = "artifacts dir";
  let existing = resolve(dir);
  while (!exists(existing) && dirname(existing) !== existing) existing = dirname(existing);
  if (!statSync(existing).isDirectory()) {
    return { name, status: "fail", detail: `Cannot create "${resolve(dir)}": a file is in the way at "${existing}"`, fix: "pass --artifacts-dir with a directory" };
  }
  try {
    accessSync(existing, constants.W_OK);
  } catch {
    return { name, status: "fail", detail: `"${existing}" is not writable`, fix: "pass --artifacts-dir with a writable directory, or --no-artifacts" };
  }
  const stats = statfsSync(existing);
  const freeMb = Math.floor((stats.bavail * stats.bsize) / (1024 * 1024));
  if (freeMb < MIN_FREE_MB) return { name, status: "warn", detail: `${resolve(dir)}: only ${freeMb} MB free`, fix: "free space or run `mooncake artifacts gc`" };
  return { name, status: "ok", detail: `${resolve(dir)} writable, ${freeMb} MB free` };
}

async function sudoCheck(os: string, path: string): Promise<CheckResult> {
  const name = "sudo";
  if (os === "windows") return { name, status: "ok", detail: "not used on windows (run from an elevated shell)" };
  if (process.getuid?.() === 0) return { name, status: "ok", detail: "running as root: become needs no sudo" };
  const probe = await runProbe({ argv: ["sudo", "-n", "true"] }, { timeoutMs: 5000, path });
  if (probe.status === "missing") return { name, status: "warn", detail: "sudo not found", fix: "install sudo, or run without become: true steps" };
  if (probe.status === "ok") return { name, status: "ok", detail: "available without a password" };
  return { name, status: "ok", detail: "available, needs a password (give it with --ask-become-pass or --sudo-pass-file)" };
}

function presence(name: string, found: boolean, program: string, fix: string, missing: CheckStatus = "warn"): CheckResult {
  return found ? { name, status: "ok", detail: `${program} found` } : { name, status: missing, detail: `${program} not found`, fix };
}

function gpuCheck(gpu: GpuFacts, warnings: readonly string[]): CheckResult {
  const problem = warnings.find((w) => w.startsWith("gpu:"));
  if (problem) return { name: "nvidia-smi", status: "warn", detail: problem.replace(/^gpu: /, ""), fix: "check the NVIDIA driver (nvidia-smi should answer within seconds)" };
  if (gpu.count === 0) return { name: "nvidia-smi", status: "ok", detail: "no NVIDIA GPU" };
  const models = [...new Set(gpu.models)].join(", ");
  return { name: "nvidia-smi", status: "ok", detail: `${gpu.count} GPU${gpu.count > 1 ? "s" : ""} (${models}), driver ${gpu.driver_version}, CUDA ${gpu.cuda_version || "unknown"}` };
}

function factsTimingCheck(totalMs: number, timings: ReadonlyMap<string, number>): CheckResult {
  const [slowest, slowestMs] = [...timings].sort((a, b) => b[1] - a[1])[0] ?? ["", 0];
  const detail = `all facts in ${Math.round(totalMs)} ms${slowest ? ` (slowest: ${slowest}, ${Math.round(slowestMs)} ms)` : ""}`;
  if (totalMs < 1000) return { name: "facts probes", status: "ok", detail };
  return { name: "facts probes", status: "warn", detail, fix: `configs reading ${slowest} wait for it; see docs/facts.md` };
}

function exists(path: string): boolean {
  try {
    accessSync(path);
    return true;
  } catch {
    return false;
  }
}

