// scripts/install.sh against the real binaries in dist/ (built by `make test-dist`), served on 127.0.0.1:
// curl | sh, wget, pinned versions, offline --from, and every refusal leaving nothing installed.
// Commands run with a temp HOME and MOONCAKE_INSTALL_DIR; PATH is narrowed to a "toolbox" of
// symlinks where a test takes a tool away or fakes uname, id or ldd.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import packageJson from "../../package.json" with { type: "json" };
import { releaseInstaller } from "../../scripts/release_installer.ts";
import { runCommand } from "../helpers/run_command.ts";
import { type DirectoryServer, serveDirectory } from "../helpers/serve_directory.ts";
import { tempDir } from "../helpers/temp_dir.ts";

const dist = join(import.meta.dir, "..", "..", "dist");
const installer = join(import.meta.dir, "..", "..", "scripts", "install.sh");
const version = packageJson.version;
const hostFile = "mooncake-linux-x64";
const TOOLS = ["sh", "uname", "id", "mktemp", "rm", "cp", "mv", "chmod", "mkdir", "cmp", "ldd", "ls", "sha256sum", "curl", "wget"];

const tmp = tempDir();
let server: DirectoryServer;

beforeAll(() => {
  // The release as it would be published: latest at the root, each version in its own
  // directory, and a tampered copy whose SHA256SUMS does not match its binary.
  const release = tmp.path("release");
  mkdirSync(release);
  server = serveDirectory(release);
  writeFileSync(join(release, "install.sh"), releaseInstaller(readFileSync(installer, "utf8"), server.url));
  for (const dir of ["", version, "9.9.9", "tampered"]) {
    mkdirSync(join(release, dir), { recursive: true });
    symlinkSync(join(dist, hostFile), join(release, dir, hostFile));
    copyFileSync(join(dist, "SHA256SUMS"), join(release, dir, "SHA256SUMS"));
  }
  const sums = readFileSync(join(release, "tampered", "SHA256SUMS"), "utf8");
  writeFileSync(join(release, "tampered", "SHA256SUMS"), sums.replace(/^[0-9a-f]{64}(?=  mooncake-linux-x64\n)/m, "0".repeat(64)));
});

afterAll(() => {
  server.stop();
  tmp.remove();
});

let runs = 0;

/** A fresh HOME and install dir for one run; `installed()` lists what landed in the install dir. */
function sandbox() {
  const dir = tmp.path(`run-${++runs}`);
  mkdirSync(join(dir, "home"), { recursive: true });
  const bin = join(dir, "bin");
  return { dir, bin, home: join(dir, "home"), installed: () => (existsSync(bin) ? readdirSync(bin) : []) };
}

/** A PATH directory of symlinks to the installer's tools, without `omit`, with `fakes` as scripts. */
function toolbox(omit: string[] = [], fakes: Record<string, string> = {}): string {
  const dir = tmp.path(`tools-${++runs}`);
  mkdirSync(dir);
  for (const tool of TOOLS.filter((t) => !omit.includes(t) && !(t in fakes))) {
    const path = Bun.which(tool);
    if (path) symlinkSync(path, join(dir, tool));
  }
  for (const [name, body] of Object.entries(fakes)) {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

function install(args: string[], box: ReturnType<typeof sandbox>, env: Record<string, string> = {}) {
  return runCommand(["sh", installer, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: box.home, MOONCAKE_INSTALL_DIR: box.bin, ...env },
  });
}

describe("install.sh over HTTP", () => {
  test("`curl | sh` installs the verified binary, which runs the bundled example; a second run changes nothing", async () => {
    const box = sandbox();
    const env = { PATH: process.env.PATH ?? "", HOME: box.home, MOONCAKE_INSTALL_DIR: box.bin };
    const first = await runCommand(["sh", "-c", `curl -fsSL ${server.url}/install.sh | sh`], { env });
    expect(first.stderr).toBe("");
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain(`downloading ${server.url}/${hostFile}\n`);
    expect(first.stdout).toMatch(/verified sha256 [0-9a-f]{64}\n/);
    expect(first.stdout).toContain(`installed mooncake ${version} (linux-x64) at ${box.bin}/mooncake\n`);
    expect(box.installed()).toEqual(["mooncake"]);
    expect(readFileSync(join(box.bin, "mooncake")).equals(readFileSync(join(dist, hostFile)))).toBe(true);

    const second = await runCommand(["sh", "-c", `curl -fsSL ${server.url}/install.sh | sh`], { env });
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toContain(`mooncake ${version} (linux-x64) is already installed at ${box.bin}/mooncake; nothing to do\n`);
    expect(box.installed()).toEqual(["mooncake"]);

    const mooncake = join(box.bin, "mooncake");
    const work = { cwd: box.dir, env: { PATH: "/usr/bin:/bin", HOME: box.home } };
    expect((await runCommand([mooncake, "example"], work)).exitCode).toBe(0);
    const validate = await runCommand([mooncake, "validate", "--config", "examples/site.yml"], work);
    expect(validate.stdout).toMatch(/✓ examples\/site\.yml is valid \(\d+ steps\)/);
    const plan = await runCommand([mooncake, "plan", "--config", "examples/site.yml"], work);
    expect(plan.exitCode).toBe(0);
    expect(plan.stdout).toContain("step-0001");
  });

  test("--version V downloads from BASE/V and checks the binary reports V", async () => {
    const box = sandbox();
    const result = await install(["--version", `v${version}`], box, { MOONCAKE_BASE_URL: `${server.url}/` });
    expect(result.exitCode).toBe(0);
    expect(server.requests).toContain(`/${version}/${hostFile}`);
    expect(box.installed()).toEqual(["mooncake"]);
  });

  test("a binary that reports another version than --version asked for is not installed", async () => {
    const box = sandbox();
    const result = await install(["--version", "9.9.9"], box, { MOONCAKE_BASE_URL: server.url });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(`mooncake-install: error: ${hostFile} is version ${version}, not the 9.9.9 asked for; nothing was installed\n`);
    expect(box.installed()).toEqual([]);
  });

  test("a checksum mismatch stops the install with a clear message and installs nothing", async () => {
    const box = sandbox();
    const result = await install([], box, { MOONCAKE_BASE_URL: `${server.url}/tampered` });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^mooncake-install: error: checksum mismatch for ${hostFile}: SHA256SUMS says 0{64}, the file is [0-9a-f]{64}; nothing was installed\\n$`));
    expect(box.installed()).toEqual([]);
  });

  test("wget is used when curl is missing", async () => {
    const box = sandbox();
    const result = await install([], box, { PATH: toolbox(["curl"]), MOONCAKE_BASE_URL: server.url });
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(box.installed()).toEqual(["mooncake"]);
  });

  test("a version that is not published is reported, nothing installed", async () => {
    const box = sandbox();
    const result = await install(["--version", "0.0.1"], box, { MOONCAKE_BASE_URL: server.url });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toEndWith(`mooncake-install: error: cannot download ${server.url}/0.0.1/${hostFile} (is linux-x64 published there?)\n`);
    expect(box.installed()).toEqual([]);
  });
});

describe("install.sh refusals", () => {
  const cases: { name: string; omit?: string[]; fakes?: Record<string, string>; args?: string[]; env?: Record<string, string>; stderr: string }[] = [
    {
      name: "no curl and no wget",
      omit: ["curl", "wget"],
      env: { MOONCAKE_BASE_URL: "http://127.0.0.1:9/never" },
      stderr: "curl or wget is needed to download mooncake: install one, or copy the release files here and use --from",
    },
    {
      name: "no sha256sum and no shasum",
      omit: ["sha256sum"],
      args: ["--from", dist],
      stderr: "sha256sum or shasum is needed to verify the download: install coreutils (or perl's shasum)",
    },
    {
      name: "an unsupported operating system",
      fakes: { uname: '[ "$1" = -s ] && echo SunOS || echo sun4v' },
      args: ["--from", dist],
      stderr: 'unsupported operating system "SunOS": mooncake is built for Linux and macOS (and Windows, without this installer)',
    },
    {
      name: "an unsupported CPU",
      fakes: { uname: '[ "$1" = -s ] && echo Linux || echo riscv64' },
      args: ["--from", dist],
      stderr: 'unsupported CPU "riscv64" on Linux: mooncake is built for x86_64 and arm64',
    },
    {
      name: "no download address",
      stderr: "no download address: set MOONCAKE_BASE_URL to where the release files are, or install offline with --from",
    },
    {
      name: "a --from path that does not exist",
      args: ["--from", "/nonexistent/mooncake"],
      stderr: '--from "/nonexistent/mooncake": no such file or directory',
    },
  ];
  for (const c of cases) {
    test(`${c.name}: a clear message, exit 1, nothing installed`, async () => {
      const box = sandbox();
      const result = await install(c.args ?? [], box, { PATH: toolbox(c.omit, c.fakes), ...c.env });
      expect(result.stderr).toBe(`mooncake-install: error: ${c.stderr}\n`);
      expect(result.exitCode).toBe(1);
      expect(box.installed()).toEqual([]);
    });
  }

  test("on musl it picks the -musl binary, and refuses it when it cannot run here", async () => {
    const box = sandbox();
    const result = await install(["--from", dist], box, { PATH: toolbox([], { ldd: "echo 'musl libc (x86_64)'" }) });
    expect(result.stdout).toContain(`using ${dist}/mooncake-linux-x64-musl (offline)\n`);
    expect(result.stderr).toStartWith("mooncake-install: error: mooncake-linux-x64-musl does not run on this machine (Linux x86_64)");
    expect(result.exitCode).toBe(1);
    expect(box.installed()).toEqual([]);
  });

  test("unknown options print the usage with exit 2", async () => {
    const result = await install(["--frm", dist], sandbox());
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('unknown option "--frm"\nusage: install.sh [--from DIR_OR_FILE] [--version VERSION]\n');
  });
});

describe("install.sh offline", () => {
  test("--from DIR installs from a copy of dist/ with no curl or wget on the machine", async () => {
    const box = sandbox();
    const result = await install(["--from", dist], box, { PATH: toolbox(["curl", "wget"]) });
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(
      `mooncake-install: using ${dist}/${hostFile} (offline)\n` +
        `mooncake-install: verified sha256 ${sumOf(hostFile)}\n` +
        `mooncake-install: installed mooncake ${version} (linux-x64) at ${box.bin}/mooncake\n` +
        `mooncake-install: ${box.bin} is not on your PATH: add it, or run ${box.bin}/mooncake\n`,
    );
    expect(box.installed()).toEqual(["mooncake"]);
  });

  test("--from FILE with no SHA256SUMS beside it installs with a warning that it is unverified", async () => {
    const box = sandbox();
    mkdirSync(join(box.dir, "usb"));
    copyFileSync(join(dist, hostFile), join(box.dir, "usb", "mooncake"));
    const result = await install(["--from", join(box.dir, "usb", "mooncake")], box, { PATH: toolbox(["curl", "wget"]) });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`warning: no SHA256SUMS beside "${box.dir}/usb/mooncake": its checksum was not verified\n`);
    expect(box.installed()).toEqual(["mooncake"]);
  });

  test("without MOONCAKE_INSTALL_DIR a non-root user gets ~/.local/bin", async () => {
    const box = sandbox();
    const env = { PATH: toolbox([], { id: "echo 1000" }), HOME: box.home };
    const result = await runCommand(["sh", installer, "--from", dist], { env });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`at ${box.home}/.local/bin/mooncake\n`);
    expect(readdirSync(join(box.home, ".local", "bin"))).toEqual(["mooncake"]);
  });
});

function sumOf(file: string): string {
  const line = readFileSync(join(dist, "SHA256SUMS"), "utf8").split("\n").find((l) => l.endsWith(`  ${file}`));
  return line!.slice(0, 64);
}
