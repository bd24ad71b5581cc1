// What `make dist` leaves in dist/: one binary per platform in its platform's executable
// format, SHA256SUMS that matches them, install.sh, and binaries that carry the commit and
// target and need nothing beside them.
import { afterEach, describe, expect, test } from "bun:test";
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import packageJson from "../../package.json" with { type: "json" };
import { releaseInstaller } from "../../scripts/release_installer.ts";
import { TARGETS } from "../../scripts/targets.ts";
import { executableFormat } from "../helpers/executable_format.ts";
import { runCommand } from "../helpers/run_command.ts";
import { tempDir } from "../helpers/temp_dir.ts";

const root = join(import.meta.dir, "..", "..");
const dist = join(root, "dist");

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const remove of cleanup) remove();
  cleanup = [];
});

describe("dist/", () => {
  test("SHA256SUMS lists every target's binary once, with its SHA-256", () => {
    const lines = readFileSync(join(dist, "SHA256SUMS"), "utf8").trimEnd().split("\n");
    expect(lines.map((l) => l.slice(66))).toEqual(TARGETS.map((t) => t.file));
    for (const line of lines) {
      const hash = new Bun.CryptoHasher("sha256").update(readFileSync(join(dist, line.slice(66)))).digest("hex");
      expect(line).toBe(`${hash}  ${line.slice(66)}`);
    }
  });

  for (const target of TARGETS) {
    test(`${target.file} is a ${target.os} ${target.arch} executable${target.libc ? ` for ${target.libc}` : ""}`, () => {
      const format = executableFormat(join(dist, target.file));
      expect(format.format).toBe(({ linux: "elf", darwin: "macho", windows: "pe" } as const)[target.os]);
      expect(format.arch).toBe(target.arch);
      if (target.libc === "musl") expect(format.interpreter).toMatch(/^\/lib\/ld-musl-(x86_64|aarch64)\.so\.1$/);
      if (target.libc === "glibc") expect(format.interpreter).toMatch(/^\/lib(64)?\/ld-linux-(x86-64|aarch64)\.so\.[12]$/);
    });
  }

  test("install.sh is scripts/install.sh with MOONCAKE_RELEASE_URL as its default address", () => {
    const source = readFileSync(join(root, "scripts", "install.sh"), "utf8");
    expect(readFileSync(join(dist, "install.sh"), "utf8")).toBe(releaseInstaller(source, process.env.MOONCAKE_RELEASE_URL ?? ""));
  });

  test("the linux-x64 binary, alone in an empty directory, reports its build and runs the bundled example", async () => {
    const tmp = tempDir();
    cleanup.push(tmp.remove);
    copyFileSync(join(dist, "mooncake-linux-x64"), tmp.path("mooncake"));
    const options = { cwd: tmp.dir, env: { PATH: "/usr/bin:/bin", HOME: tmp.dir } };
    const version = await runCommand(["./mooncake", "version", "--format", "json"], options);
    const commit = Bun.spawnSync(["git", "rev-parse", "--short=12", "HEAD"], { cwd: root }).stdout.toString().trim();
    expect(JSON.parse(version.stdout)).toMatchObject({ version: packageJson.version, target: "linux-x64", os: "linux", arch: "x64", libc: "glibc" });
    expect(JSON.parse(version.stdout).commit).toStartWith(commit);
    expect((await runCommand(["./mooncake", "example"], options)).exitCode).toBe(0);
    expect((await runCommand(["./mooncake", "validate", "-c", "examples/site.yml"], options)).exitCode).toBe(0);
    expect((await runCommand(["./mooncake", "plan", "-c", "examples/site.yml"], options)).exitCode).toBe(0);
  });
});
