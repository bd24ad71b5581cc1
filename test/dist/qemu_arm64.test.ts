// The linux-arm64 binary, run for real under qemu-user with Debian's arm64 glibc
// (qemu-user-static and libc6-arm64-cross, installed by scripts/test_dist.sh when missing).
// Without them this fails, unless MOONCAKE_SKIP_QEMU=1 says to skip it on purpose.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import packageJson from "../../package.json" with { type: "json" };
import { runCommand } from "../helpers/run_command.ts";
import { tempDir } from "../helpers/temp_dir.ts";

const qemu = Bun.which("qemu-aarch64-static") ?? Bun.which("qemu-aarch64");
const sysroot = "/usr/aarch64-linux-gnu";
const binary = join(import.meta.dir, "..", "..", "dist", "mooncake-linux-arm64");
const skip = process.env.MOONCAKE_SKIP_QEMU === "1";
const tmp = tempDir();
afterAll(tmp.remove);

function arm64(args: string[]) {
  if (!qemu || !existsSync(join(sysroot, "lib", "ld-linux-aarch64.so.1"))) {
    throw new Error(`qemu-aarch64-static and ${sysroot} (libc6-arm64-cross) are needed: run scripts/test_dist.sh as root, or set MOONCAKE_SKIP_QEMU=1`);
  }
  return runCommand([qemu, "-L", sysroot, binary, ...args], { cwd: tmp.dir, env: { PATH: "/usr/bin:/bin", HOME: tmp.dir }, timeoutMs: 120_000 });
}

describe.skipIf(skip)("linux-arm64 under qemu-user", () => {
  test("--version and `version --format json` report the arm64 build", async () => {
    expect((await arm64(["--version"])).stdout).toBe(`${packageJson.version}\n`);
    const info = JSON.parse((await arm64(["version", "--format", "json"])).stdout);
    expect(info).toMatchObject({ version: packageJson.version, target: "linux-arm64", os: "linux", arch: "arm64", libc: "glibc" });
  });

  test("writes, validates and plans the bundled example", async () => {
    expect((await arm64(["example"])).exitCode).toBe(0);
    const validate = await arm64(["validate", "-c", "examples/site.yml"]);
    expect(validate.stdout).toMatch(/✓ examples\/site\.yml is valid \(\d+ steps\)/);
    const plan = await arm64(["plan", "-c", "examples/site.yml", "--format", "json"]);
    expect(plan.exitCode).toBe(0);
    expect(JSON.parse(plan.stdout).steps[0].args).toMatch(/ on linux\/arm64 /);
  });
});
