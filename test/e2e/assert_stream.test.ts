import { expect, test } from "bun:test";
import { truncateSync, writeFileSync } from "node:fs";
import { BINARY } from "../helpers/run_binary.ts";
import { sandbox } from "../helpers/converge.ts";

const SIZE = 256 * 1024 * 1024;
// sha256 of 256 MiB of zero bytes.
const ZEROS_SHA256 = "a6d72ac7690f53be6ae46ba88506bd97302a093f7108472bd9efc3cefda06484";

test.skipIf(!Bun.which("time", { PATH: "/usr/bin" }))("assert file sha256 streams a 256 MiB file: peak memory stays far below its size", () => {
  const tmp = sandbox();
  writeFileSync(tmp.path("big.bin"), "");
  truncateSync(tmp.path("big.bin"), SIZE);
  writeFileSync(tmp.path("site.yml"), `- assert: { file: { path: big.bin, sha256: "${ZEROS_SHA256}" } }\n`);
  const run = Bun.spawnSync(["/usr/bin/time", "-f", "maxrss_kb=%M", BINARY, "run", "-c", "site.yml", "--raw", "--no-artifacts"], { cwd: tmp.dir, stdout: "pipe", stderr: "pipe" });
  expect(run.exitCode).toBe(0);
  const peakMb = Number(/maxrss_kb=(\d+)/.exec(run.stderr.toString())![1]) / 1024;
  expect(peakMb).toBeLessThan(160);
}, 120_000);
