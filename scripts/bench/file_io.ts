// Large-file I/O through the real actions: a 1 GiB `download` from a server on 127.0.0.1
// against curl fetching the same URL, and `assert: {file: {sha256}}` on the same 1 GiB against
// sha256sum, each with mooncake's peak memory. SIZE_MB (default 1024) sets the size, RUNS
// (default 3) the runs per figure. Runs alone or from all.ts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Bench, measure, printTable, writeFileOfSize, type Row, timeRow } from "./measure.ts";

const binary = join(import.meta.dir, "..", "..", "dist", "mooncake");

export const run: Bench = async () => {
  const runs = Number(process.env.RUNS ?? 3);
  const sizeMb = Number(process.env.SIZE_MB ?? 1024);
  const tmp = mkdtempSync(join(tmpdir(), "mooncake-bench-io-"));
  // The server is its own process: measure() waits synchronously for each client.
  const server = Bun.spawn([process.execPath, "-e", `const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response(Bun.file(${JSON.stringify(join(tmp, "big.bin"))})) }); console.log(s.port);`], { stdout: "pipe" });
  try {
    const big = join(tmp, "big.bin");
    writeFileOfSize(big, sizeMb);
    const url = `http://127.0.0.1:${await firstLine(server.stdout)}/big.bin`;
    const sha256 = Bun.spawnSync(["sha256sum", big]).stdout.toString().split(" ")[0];
    writeFileSync(join(tmp, "download.yml"), `- download: { url: "${url}", dest: got.bin }\n`);
    writeFileSync(join(tmp, "assert.yml"), `- assert: { file: { path: big.bin, sha256: "${sha256}" } }\n`);

    const curl = measure(`curl ${sizeMb} MiB from 127.0.0.1`, ["sh", "-c", `rm -f got.bin && exec curl -sS -o got.bin ${url}`], runs, tmp);
    const download = measure(`mooncake download ${sizeMb} MiB from 127.0.0.1`, ["sh", "-c", `rm -f got.bin && exec ${binary} run -c download.yml --raw --no-artifacts`], runs, tmp);
    const sha256sum = measure(`sha256sum ${sizeMb} MiB`, ["sha256sum", big], runs);
    const assert = measure(`mooncake assert file sha256 ${sizeMb} MiB`, [binary, "run", "-c", "assert.yml", "--raw", "--no-artifacts"], runs, tmp);
    const rate = (ms: number) => sizeMb / (ms / 1000);
    return [
      { figure: `download ${sizeMb} MiB, throughput`, value: rate(download.medianMs), unit: "MB/s", baseline: { label: "curl", value: rate(curl.medianMs) } },
      timeRow(download, curl),
      { figure: "mooncake download, peak memory", value: download.maxRssMb, unit: "MB" },
      timeRow(assert, sha256sum),
      { figure: "mooncake assert sha256, peak memory", value: assert.maxRssMb, unit: "MB" },
    ] satisfies Row[];
  } finally {
    server.kill();
    rmSync(tmp, { recursive: true, force: true });
  }
};

async function firstLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stream.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return text.trim();
}

if (import.meta.main) printTable(await run());
