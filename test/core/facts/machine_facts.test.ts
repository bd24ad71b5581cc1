import { ACTIONS } from "../../../actions/registry.ts";
import { afterEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { compilePlan } from "../../../core/plan/compile_plan.ts";
import { MachineFacts } from "../../../core/facts/machine_facts.ts";
import { parseCpuInfo } from "../../../core/facts/cpu_facts.ts";
import { parseDf } from "../../../core/facts/disk_facts.ts";
import { parseMeminfo, parseSwapUsage } from "../../../core/facts/memory_facts.ts";
import { parseProcRoute, parseResolvConf } from "../../../core/facts/network_facts.ts";
import { ollamaEndpoint } from "../../../core/facts/ollama_facts.ts";
import { parseVersion } from "../../../core/facts/toolchain_facts.ts";
import { fakeProgram, printText } from "../../helpers/fake_program.ts";
import { eightGpus, failingNvidiaSmi, hangingNvidiaSmi, noGpu, oneGpu } from "../../helpers/fake_nvidia_smi.ts";
import { FIXED_FACTS } from "../../helpers/fixed_facts.ts";
import { tempDir } from "../../helpers/temp_dir.ts";

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const remove of cleanup) remove();
  cleanup = [];
});

/** Facts whose probes only find the programs in a fresh temp dir (plus /bin for the fakes' shell). */
function factsWithFakes(timeoutMs = 5000) {
  const tmp = tempDir();
  cleanup.push(tmp.remove);
  const facts = new MachineFacts({ basic: { ...FIXED_FACTS }, timeoutMs, path: tmp.dir });
  return { facts, dir: tmp.dir, vars: facts.vars as Record<string, any>, tmp };
}

/** A fake tool that appends a line to `calls` each time it runs, then prints `output`. */
function countingTool(dir: string, name: string, output: string): string {
  const log = `${dir}/${name}.calls`;
  fakeProgram(dir, name, `echo run >> '${log}'\n${printText(output)}`);
  return log;
}

function callCount(log: string): number {
  try {
    return readFileSync(log, "utf8").trim().split("\n").length;
  } catch {
    return 0;
  }
}

describe("gpu facts from nvidia-smi", () => {
  test("no nvidia-smi on PATH means gpu.count 0 and no warning", () => {
    const { facts, vars } = factsWithFakes();
    expect(vars.gpu.count).toBe(0);
    expect(vars.gpus).toEqual([]);
    expect(facts.takeWarnings()).toEqual([]);
  });

  test("a driver without devices reports zero GPUs without a warning", () => {
    const { facts, dir, vars } = factsWithFakes();
    noGpu(dir);
    expect(vars.gpu).toMatchObject({ count: 0, models: [], cuda_version: "" });
    expect(facts.takeWarnings()).toEqual([]);
  });

  test("one GPU: model, memory, driver and CUDA version", () => {
    const { dir, vars } = factsWithFakes();
    oneGpu(dir);
    expect(vars.gpu).toEqual({
      count: 1,
      nvidia_count: 1,
      models: ["NVIDIA GeForce RTX 4090"],
      memory_mb: [24564],
      driver_version: "550.54.14",
      cuda_version: "12.4",
      devices: [{ index: 0, vendor: "nvidia", model: "NVIDIA GeForce RTX 4090", memory_mb: 24564, driver_version: "550.54.14", cuda_version: "12.4" }],
    });
  });

  test("eight GPUs, read as nested values and as the flat gpus list", () => {
    const { dir, vars } = factsWithFakes();
    eightGpus(dir);
    expect(vars.gpu.count).toBe(8);
    expect(vars.gpu.models).toEqual(Array(8).fill("NVIDIA A100-SXM4-80GB"));
    expect(vars.gpu.cuda_version).toBe("12.2");
    expect(vars.gpus.map((g: { index: number }) => g.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  test("a hanging nvidia-smi is stopped at the timeout, asked once, and reported as a warning", () => {
    const { facts, dir, vars } = factsWithFakes(300);
    hangingNvidiaSmi(dir);
    expect(vars.gpu.count).toBe(0);
    expect(facts.takeWarnings()).toEqual(["gpu: nvidia-smi: did not answer in time and was stopped"]);
  });

  test("a failing nvidia-smi is a warning with its message, not an error", async () => {
    const { facts, dir } = factsWithFakes();
    failingNvidiaSmi(dir);
    await facts.collectAll();
    expect(facts.snapshot().gpu).toMatchObject({ count: 0 });
    expect(facts.takeWarnings()).toEqual(["gpu: nvidia-smi: exited with 9: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."]);
  });

  test("the hanging probe is bounded when every group is collected at once too", async () => {
    const { facts, dir } = factsWithFakes(300);
    hangingNvidiaSmi(dir);
    await facts.collectAll();
    expect(facts.snapshot().gpu).toMatchObject({ count: 0 });
    expect(facts.takeWarnings()).toEqual(["gpu: nvidia-smi: did not answer in time and was stopped"]);
  });
});

describe("gpu facts without nvidia-smi", () => {
  const ROCM = JSON.stringify({
    card0: { "Card Series": "AMD Instinct MI210", "VRAM Total Memory (B)": "68702699520" },
    card1: { "Card Series": "AMD Instinct MI210", "VRAM Total Memory (B)": "68702699520" },
    system: { "Driver version": "6.7.0" },
  });
  const LSPCI = [
    '00:02.0 "VGA compatible controller [0300]" "Intel Corporation [8086]" "UHD Graphics 630 [3e92]" -r02 "Dell [1028]" "Device [085a]"',
    '01:00.0 "3D controller [0302]" "NVIDIA Corporation [10de]" "GA100 [A100 PCIe 40GB] [20f1]" -ra1 "NVIDIA Corporation [10de]" "Device [145f]"',
    '00:1f.3 "Audio device [0403]" "Intel Corporation [8086]" "Cannon Lake PCH cAVS [a348]" -r10 "Dell [1028]" "Device [085a]"',
    "",
  ].join("\n");

  test("AMD GPUs come from rocm-smi, with their memory and driver version", () => {
    const { dir, vars } = factsWithFakes();
    fakeProgram(dir, "rocm-smi", printText(ROCM));
    expect(vars.gpu).toMatchObject({ count: 2, nvidia_count: 0, models: ["AMD Instinct MI210", "AMD Instinct MI210"], memory_mb: [65520, 65520], driver_version: "6.7.0" });
    expect(vars.gpus[0]).toMatchObject({ index: 0, vendor: "amd" });
  });

  test("with no vendor tool, lspci's display controllers give each GPU's vendor (a driverless NVIDIA host still shows its GPU)", () => {
    const { dir, vars, facts } = factsWithFakes();
    fakeProgram(dir, "lspci", printText(LSPCI));
    expect(vars.gpus.map((g: { vendor: string; model: string }) => [g.vendor, g.model])).toEqual([
      ["intel", "UHD Graphics 630"],
      ["nvidia", "GA100 [A100 PCIe 40GB]"],
    ]);
    expect([vars.gpu.count, vars.gpu.nvidia_count]).toEqual([2, 1]);
    expect(facts.takeWarnings()).toEqual([]);
  });

  test("nvidia-smi wins over lspci when both answer", () => {
    const { dir, vars } = factsWithFakes();
    oneGpu(dir);
    fakeProgram(dir, "lspci", printText(LSPCI));
    expect(vars.gpus).toHaveLength(1);
    expect(vars.gpus[0]).toMatchObject({ vendor: "nvidia", model: "NVIDIA GeForce RTX 4090" });
  });
});

describe("ollama facts", () => {
  test("models come from ollama list; the endpoint from OLLAMA_HOST as a URL", () => {
    const { dir, vars } = factsWithFakes();
    fakeProgram(dir, "ollama", printText("NAME           ID            SIZE    MODIFIED\nllama3.1:8b    46e0c10c039e  4.9 GB  2 days ago\nqwen2.5:7b     845dbda0ea48  4.7 GB  3 weeks ago\n"));
    expect(vars.ollama.models).toEqual(["llama3.1:8b", "qwen2.5:7b"]);
    expect(ollamaEndpoint(undefined)).toBe("http://127.0.0.1:11434");
    expect(ollamaEndpoint("0.0.0.0:8080")).toBe("http://127.0.0.1:8080");
    expect(ollamaEndpoint("gpu-box")).toBe("http://gpu-box:11434");
    expect(ollamaEndpoint("https://gpu-box")).toBe("https://gpu-box");
  });
});

describe("lazy fact groups", () => {
  test("a group is computed the first time it is read and never again", () => {
    const { dir, vars } = factsWithFakes();
    const log = countingTool(dir, "git", "git version 2.43.0");
    expect(callCount(log)).toBe(0);
    expect(vars.toolchains.git).toBe("2.43.0");
    expect(vars.git_version).toBe("2.43.0");
    expect(vars.toolchains.git).toBe("2.43.0");
    expect(callCount(log)).toBe(1);
  });

  test("a config that reads no probed fact runs no probe; one that does runs only its own", () => {
    const { facts, dir, tmp } = factsWithFakes();
    const git = countingTool(dir, "git", "git version 2.43.0");
    const docker = countingTool(dir, "docker", "Docker version 28.2.2, build e6534b4");
    const config = (body: string) => {
      const path = tmp.path(`site-${callCount(git)}-${body.length}.yml`);
      Bun.write(path, body);
      return path;
    };
    const plain = compilePlan({ configPath: config("- print: 'on {{ os }} with {{ cpu_cores }} cores'\n"), actions: ACTIONS, facts: facts.vars });
    expect(plain.diagnostics).toEqual([]);
    expect([callCount(git), callCount(docker)]).toEqual([0, 0]);
    expect(facts.snapshot()).toEqual({ ...FIXED_FACTS });

    const withGit = compilePlan({ configPath: config("- print: 'git {{ toolchains.git }}'\n  when: git_version != ''\n"), actions: ACTIONS, facts: facts.vars });
    expect(withGit.plan!.steps[0]!.args).toBe("git 2.43.0");
    expect([callCount(git), callCount(docker)]).toEqual([1, 0]);
    expect(facts.snapshot()).toEqual({ ...FIXED_FACTS, toolchains: { git: "2.43.0" }, git_version: "2.43.0" });
  });

  test("a config variable with a fact's name wins and the fact is never computed", () => {
    const { facts, dir, tmp } = factsWithFakes();
    oneGpu(dir);
    Bun.write(tmp.path("site.yml"), "vars: {gpu: {count: 3}}\nsteps:\n  - print: '{{ gpu.count }}'\n");
    const result = compilePlan({ configPath: tmp.path("site.yml"), actions: ACTIONS, facts: facts.vars });
    expect(result.plan!.steps[0]!.args).toBe("3");
    expect(facts.snapshot().gpu).toBeUndefined();
  });

  test("every documented group is there on this machine", async () => {
    const { facts } = factsWithFakes();
    await facts.collectAll();
    const all = facts.snapshot();
    for (const name of ["system", "cpu", "memory", "disks", "network", "gpu", "toolchains", "cpu_model", "kernel_version", "memory_free_mb", "dns_servers", "python_version"]) {
      expect(all).toHaveProperty(name);
    }
    expect((all.toolchains as Record<string, string>).git).toBe("");
  });
});

describe("fact parsers", () => {
  test("/proc/cpuinfo: model, vendor, flags with AVX, physical and logical cores", () => {
    const block = (core: number) => `processor\t: ${core}\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Gold 6338\nphysical id\t: 0\ncore id\t\t: ${core % 2}\nflags\t\t: fpu sse avx avx2 avx512f\n`;
    expect(parseCpuInfo([0, 1, 2, 3].map(block).join("\n"))).toEqual({
      model: "Intel(R) Xeon(R) Gold 6338", vendor: "GenuineIntel", cores: 4, physical_cores: 2,
      flags: ["fpu", "sse", "avx", "avx2", "avx512f"], avx: true, avx2: true, avx512: true,
    });
  });

  test("/proc/cpuinfo on ARM reads Features", () => {
    const facts = parseCpuInfo("processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd aes\nCPU implementer\t: 0x41\n");
    expect(facts).toMatchObject({ flags: ["fp", "asimd", "aes"], avx: false, vendor: "0x41", cores: 1 });
  });

  test("/proc/meminfo in MB, available memory as free", () => {
    const text = "MemTotal:       16384000 kB\nMemFree:         1024000 kB\nMemAvailable:    8192000 kB\nSwapTotal:       2048000 kB\nSwapFree:        1024000 kB\n";
    expect(parseMeminfo(text)).toEqual({ total_mb: 16000, free_mb: 8000, swap_total_mb: 2000, swap_free_mb: 1000 });
  });

  test("macOS swap usage", () => {
    expect(parseSwapUsage("total = 2048.00M  used = 1024.00M  free = 1024.00M  (encrypted)")).toEqual({ swap_total_mb: 2048, swap_free_mb: 1024 });
  });

  test("default route and DNS servers", () => {
    const route = "Iface\tDestination\tGateway \tFlags\nwlan0\t000200C0\t00000000\t0001\nwlan0\t00000000\t0102A8C0\t0003\n";
    expect(parseProcRoute(route)).toEqual({ gateway: "192.168.2.1", iface: "wlan0" });
    expect(parseResolvConf("# comment\nnameserver 1.1.1.1\nsearch lan\nnameserver  fd00::1\n")).toEqual(["1.1.1.1", "fd00::1"]);
  });

  test("df -kP", () => {
    const text = "Filesystem     1024-blocks      Used Available Capacity Mounted on\n/dev/disk3s1s1   971350180  10485760 500000000     3% /\nmap auto_home            0         0         0   100% /System/Volumes/Data/home\n";
    expect(parseDf(text)).toEqual([{ device: "/dev/disk3s1s1", mount: "/", fs_type: "", size_mb: 948584, free_mb: 488281, used_pct: 2 }]);
  });

  test("toolchain versions from each tool's own format", () => {
    expect(parseVersion("Docker version 28.2.2, build e6534b4")).toBe("28.2.2");
    expect(parseVersion("go version go1.22.1 linux/amd64")).toBe("1.22.1");
    expect(parseVersion("v20.11.1\n")).toBe("20.11.1");
    expect(parseVersion("Python 3.12.3")).toBe("3.12.3");
    expect(parseVersion("git version 2.39.5")).toBe("2.39.5");
    expect(parseVersion("1.4.5-canary.1+abc\n")).toBe("1.4.5-canary.1+abc");
  });
});
