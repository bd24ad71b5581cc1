import { fakeProgram, printText } from "./fake_program.ts";

/** `nvidia-smi` banners and query output in the real format, for 0, 1 and 8 GPUs. */
function banner(driver: string, cuda: string, gpuLines: string): string {
  return [
    "Tue Feb 24 10:00:00 2026       ",
    "+-----------------------------------------------------------------------------------------+",
    `| NVIDIA-SMI ${driver}              Driver Version: ${driver}      CUDA Version: ${cuda}     |`,
    "|-----------------------------------------+------------------------+----------------------+",
    "| GPU  Name                 Persistence-M | Bus-Id          Disp.A | Volatile Uncorr. ECC |",
    "| Fan  Temp   Perf          Pwr:Usage/Cap |           Memory-Usage | GPU-Util  Compute M. |",
    "|=========================================+========================+======================|",
    gpuLines,
    "+-----------------------------------------------------------------------------------------+",
  ].join("\n");
}

function fake(dir: string, query: string, bannerText: string): void {
  fakeProgram(dir, "nvidia-smi", [
    'case "$1" in',
    `  --query-gpu=*) ${printText(query)} ;;`,
    `  *) ${printText(bannerText)} ;;`,
    "esac",
  ].join("\n"));
}

export function oneGpu(dir: string): void {
  const row = "|   0  NVIDIA GeForce RTX 4090        Off |   00000000:01:00.0 Off |                  Off |";
  fake(dir, "0, NVIDIA GeForce RTX 4090, 24564, 550.54.14", banner("550.54.14", "12.4", row));
}

export function eightGpus(dir: string): void {
  const query = Array.from({ length: 8 }, (_, i) => `${i}, NVIDIA A100-SXM4-80GB, 81920, 535.104.05`).join("\n");
  const rows = Array.from({ length: 8 }, (_, i) => `|   ${i}  NVIDIA A100-SXM4-80GB          On  |   00000000:${(i + 7).toString(16).padStart(2, "0")}:00.0 Off |                    0 |`).join("\n");
  fake(dir, query, banner("535.104.05", "12.2", rows));
}

/** A driver with no device: "No devices were found", exit code 6. */
export function noGpu(dir: string): void {
  fakeProgram(dir, "nvidia-smi", "echo 'No devices were found'\nexit 6");
}

/** A wedged driver: never answers. `exec` so the timeout's kill reaches the sleeping process. */
export function hangingNvidiaSmi(dir: string): void {
  fakeProgram(dir, "nvidia-smi", `exec ${Bun.which("sleep")} 60`);
}

export function failingNvidiaSmi(dir: string): void {
  fakeProgram(dir, "nvidia-smi", "echo 'NVIDIA-SMI has failed because it couldn'\"'\"'t communicate with the NVIDIA driver.' >&2\nexit 9");
}

/** A wrapper script whose child never answers: it holds the output open and outlives a kill of the script alone. */
export function forkingHangingNvidiaSmi(dir: string, childPidFile: string): void {
  fakeProgram(dir, "nvidia-smi", `${Bun.which("sleep")} 60 &\necho $! > '${childPidFile}'\nwait`);
}
