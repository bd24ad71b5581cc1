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
  models: string[];
  memory_mb: number[];
  driver_version: string;
  cuda_version: string;
  devices: GpuDevice[];
}

export const QUERY_ARGS = ["--query-gpu=index,name,memory.total,driver_version", "--format=csv,noheader,nounits"];

/**
 * NVIDIA GPUs from `nvidia-smi`: the query lists the devices, the plain banner carries the CUDA
 * version. No `nvidia-smi` means no GPU; one that fails or hangs is a warning, never an error.
 */
export const gpuGroup: FactGroup = {
  name: "gpu",
  probes: (platform) => (platform === "darwin" ? [] : [{ argv: ["nvidia-smi", ...QUERY_ARGS] }, { argv: ["nvidia-smi"] }]),
  compute(input) {
    const [query, banner] = input.results;
    if (query?.status === "ok") return parseNvidiaSmi(query.stdout, banner?.status === "ok" ? banner.stdout : "");
    if (!noDevices(query)) warnUnlessMissing(input, query, "gpu: nvidia-smi");
    return parseNvidiaSmi("", "");
  },
};

/** Parses the CSV of {@link QUERY_ARGS} and the CUDA version of the banner. */
export function parseNvidiaSmi(csv: string, banner: string): GpuFacts {
  const cuda = /CUDA Version:\s*([\d.]+)/.exec(banner)?.[1] ?? "";
  const devices = csv.split("\n").map((line) => line.split(",").map((f) => f.trim())).filter((f) => f.length >= 4).map(
    ([index, model, memory, driver]): GpuDevice => ({
      index: Number(index),
      vendor: "nvidia",
      model: model!,
      memory_mb: Number(memory) || 0,
      driver_version: driver!,
      cuda_version: cuda,
    }),
  );
  return {
    count: devices.length,
    models: devices.map((d) => d.model),
    memory_mb: devices.map((d) => d.memory_mb),
    driver_version: devices[0]?.driver_version ?? "",
    cuda_version: devices.length ? cuda : "",
    devices,
  };
}

/** A driver without devices answers "No devices were found" with a non-zero code: zero GPUs, not a fault. */
function noDevices(result: ProbeResult | undefined): boolean {
  return result?.status === "failed" && /No devices were found/i.test(result.stdout + result.stderr);
}
