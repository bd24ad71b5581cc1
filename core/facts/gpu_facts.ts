import { type FactGroup, warnUnlessMissing } from "./fact_group.ts";
import type { ProbeResult } from "./probe.ts";

export interface GpuDevice {
  index: number;
  vendor: string;
  model: string;
  memory_mb: number;
  driver_version: string;
  cuda_version: string;
}

export interface GpuFacts {
  count: number;
  /** Devices whose vendor is NVIDIA: what CUDA and the NVIDIA Container Toolkit need. */
  nvidia_count: number;
  models: string[];
  memory_mb: number[];
  driver_version: string;
  cuda_version: string;
  devices: GpuDevice[];
}

export const QUERY_ARGS = ["--query-gpu=index,name,memory.total,driver_version", "--format=csv,noheader,nounits"];
export const ROCM_ARGS = ["--showproductname", "--showmeminfo", "vram", "--showdriverversion", "--json"];

/**
 * GPUs from the vendor tools: NVIDIA's `nvidia-smi` (the query lists the devices, the banner
 * carries the CUDA version), else AMD's `rocm-smi`, else the display controllers `lspci` lists
 * (any vendor, no driver needed: a host whose NVIDIA driver is not installed yet still shows
 * its GPU). A missing tool is silent; one that fails or hangs is a warning, never an error.
 */
export const gpuGroup: FactGroup = {
  name: "gpu",
  probes: (platform) =>
    platform === "darwin" ? [] : [
      { argv: ["nvidia-smi", ...QUERY_ARGS] },
      { argv: ["nvidia-smi"] },
      { argv: ["rocm-smi", ...ROCM_ARGS] },
      { argv: ["lspci", "-mm", "-nn"] },
    ],
  compute(input) {
    const [query, banner, rocm, lspci] = input.results;
    if (query?.status === "ok") return gpuFacts(parseNvidiaSmi(query.stdout, banner?.status === "ok" ? banner.stdout : ""));
    if (!noDevices(query)) warnUnlessMissing(input, query, "gpu: nvidia-smi");
    if (rocm?.status === "ok") {
      const devices = parseRocmSmi(rocm.stdout);
      if (devices.length) return gpuFacts(devices);
    } else {
      warnUnlessMissing(input, rocm, "gpu: rocm-smi");
    }
    return gpuFacts(lspci?.status === "ok" ? parseLspci(lspci.stdout) : []);
  },
};

function gpuFacts(devices: GpuDevice[]): GpuFacts {
  return {
    count: devices.length,
    nvidia_count: devices.filter((d) => d.vendor === "nvidia").length,
    models: devices.map((d) => d.model),
    memory_mb: devices.map((d) => d.memory_mb),
    driver_version: devices[0]?.driver_version ?? "",
    cuda_version: devices[0]?.cuda_version ?? "",
    devices,
  };
}

/** Parses the CSV of {@link QUERY_ARGS} and the CUDA version of the banner. */
export function parseNvidiaSmi(csv: string, banner: string): GpuDevice[] {
  const cuda = /CUDA Version:\s*([\d.]+)/.exec(banner)?.[1] ?? "";
  return csv.split("\n").map((line) => line.split(",").map((f) => f.trim())).filter((f) => f.length >= 4).map(
    ([index, model, memory, driver]): GpuDevice => ({
      index: Number(index),
      vendor: "nvidia",
      model: model!,
      memory_mb: Number(memory) || 0,
      driver_version: driver!,
      cuda_version: cuda,
    }),
  );
}

/** `rocm-smi --json` of {@link ROCM_ARGS}: one `cardN` object per GPU, the driver under `system`. */
export function parseRocmSmi(json: string): GpuDevice[] {
  let report: Record<string, Record<string, string>>;
  try {
    report = JSON.parse(json);
  } catch {
    return [];
  }
  const driver = report.system?.["Driver version"] ?? "";
  return Object.entries(report)
    .filter(([key]) => /^card\d+$/.test(key))
    .map(([key, card]) => ({
      index: Number(key.slice(4)),
      vendor: "amd",
      model: card["Card Series"] ?? card["Card series"] ?? card["Card model"] ?? card["Card Model"] ?? "",
      memory_mb: Math.round(Number(card["VRAM Total Memory (B)"] ?? 0) / (1024 * 1024)),
      driver_version: driver,
      cuda_version: "",
    }));
}

const PCI_VENDORS: Record<string, string> = { "10de": "nvidia", "1002": "amd", "8086": "intel" };
/** VGA compatible, 3D and other display controllers. */
const DISPLAY_CLASSES = new Set(["0300", "0302", "0380"]);

/** Display controllers from `lspci -mm -nn`: `00:02.0 "VGA compatible controller [0300]" "Intel Corporation [8086]" "UHD Graphics 620 [3ea0]" ...`. */
export function parseLspci(text: string): GpuDevice[] {
  const devices: GpuDevice[] = [];
  for (const line of text.split("\n")) {
    const fields = [...line.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
    const pciClass = /\[([0-9a-f]{4})\]$/.exec(fields[0] ?? "")?.[1];
    if (!pciClass || !DISPLAY_CLASSES.has(pciClass)) continue;
    const vendorId = /\[([0-9a-f]{4})\]$/.exec(fields[1] ?? "")?.[1] ?? "";
    devices.push({
      index: devices.length,
      vendor: PCI_VENDORS[vendorId] ?? (fields[1] ?? "").replace(/ \[[0-9a-f]{4}\]$/, "").toLowerCase(),
      model: (fields[2] ?? "").replace(/ \[[0-9a-f]{4}\]$/, ""),
      memory_mb: 0,
      driver_version: "",
      cuda_version: "",
    });
  }
  return devices;
}

/** A driver without devices answers "No devices were found" with a non-zero code: zero GPUs, not a fault. */
function noDevices(result: ProbeResult | undefined): boolean {
  return result?.status === "failed" && /No devices were found/i.test(result.stdout + result.stderr);
}
