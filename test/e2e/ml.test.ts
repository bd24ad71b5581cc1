import { afterEach, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { sandbox } from "../helpers/converge.ts";
import { fakeProgram } from "../helpers/fake_program.ts";
import { fakeSystemctl } from "../helpers/fake_service_manager.ts";
import { runBinaryAsync } from "../helpers/run_binary.ts";

let servers: { stop(force?: boolean): void }[] = [];
afterEach(() => {
  for (const server of servers) server.stop(true);
  servers = [];
});

/** A release archive made with tar: `files` are executable shell scripts (or plain files). */
function releaseArchive(dir: string, name: string, files: Record<string, string>): string {
  const root = join(dir, `${name}.src`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
    chmodSync(join(root, path), 0o755);
  }
  const archive = join(dir, name);
  const flag = name.endsWith(".bz2") ? "-cjf" : "-czf";
  expect(Bun.spawnSync(["tar", flag, archive, "-C", root, "."]).exitCode).toBe(0);
  return archive;
}

const versionScript = (name: string, version: string) => `#!/bin/sh\necho "${name} ${version}"\n`;

async function runIn(dir: string, config: string, env: Record<string, string> = {}, ...extra: string[]) {
  writeFileSync(join(dir, "site.yml"), config);
  return runBinaryAsync(["run", "-c", "site.yml", "--log-format", "json", "--no-artifacts", ...extra], { cwd: dir, env: { PATH: `${dir}:${process.env.PATH}`, ...env } });
}

function finished(stdout: string) {
  const events = stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l));
  return {
    counts: events.find((e) => e.type === "run.finished")?.data.counts,
    changes: events.filter((e) => e.type === "step.finished").map((e) => e.data.change),
    errors: events.filter((e) => e.type === "step.finished" && e.data.error).map((e) => e.data.error.message),
  };
}

describe("uv and micromamba", () => {
  test("uv installs uv and uvx from a local release (air-gapped), writes cache_dir, then is ok; a version pin reinstalls", async () => {
    const tmp = sandbox();
    releaseArchive(tmp.dir, "uv-0.5.1.tar.gz", { "uv-x86_64-unknown-linux-gnu/uv": versionScript("uv", "0.5.1"), "uv-x86_64-unknown-linux-gnu/uvx": versionScript("uvx", "0.5.1") });
    releaseArchive(tmp.dir, "uv-0.6.0.tar.gz", { "uv-x86_64-unknown-linux-gnu/uv": versionScript("uv", "0.6.0"), "uv-x86_64-unknown-linux-gnu/uvx": versionScript("uvx", "0.6.0") });
    mkdirSync(tmp.path("bin"));
    const config = (source: string, pin = "") => `- uv: { source: ${source}, bin_dir: bin, cache_dir: /srv/uv-cache, config_file: etc/uv.toml${pin} }\n`;

    const preview = finished((await runIn(tmp.dir, config("uv-0.5.1.tar.gz"), {}, "--dry-run")).stdout);
    expect(preview.changes[0]).toMatchObject({ kind: "create" });
    expect(preview.changes[0].reason).toStartWith(`uv is not installed in ${tmp.path("bin")}: would install from ${tmp.path("uv-0.5.1.tar.gz")}`);
    expect(existsSync(tmp.path("bin/uv"))).toBe(false);

    expect(finished((await runIn(tmp.dir, config("uv-0.5.1.tar.gz"))).stdout).counts).toMatchObject({ changed: 1, failed: 0 });
    expect(Bun.spawnSync([tmp.path("bin/uvx")]).stdout.toString()).toBe("uvx 0.5.1\n");
    expect(readFileSync(tmp.path("etc/uv.toml"), "utf8")).toBe('# Written by mooncake (uv: cache_dir)\ncache-dir = "/srv/uv-cache"\n');

    const second = finished((await runIn(tmp.dir, config("uv-0.5.1.tar.gz"))).stdout);
    expect(second.counts).toMatchObject({ changed: 0, ok: 1 });

    const pinned = finished((await runIn(tmp.dir, config("uv-0.6.0.tar.gz", ", version_pin: 0.6.0"))).stdout);
    expect(pinned.changes[0].reason).toStartWith("uv 0.5.1 is installed, 0.6.0 wanted");
    expect(Bun.spawnSync([tmp.path("bin/uv")]).stdout.toString()).toBe("uv 0.6.0\n");
  });

  test("a wrong sha256 installs nothing; a release downloaded from url is used; state absent removes the binaries", async () => {
    const tmp = sandbox();
    const archive = releaseArchive(tmp.dir, "mm.tar.bz2", { "bin/micromamba": versionScript("micromamba", "2.0.5") });
    const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response(Bun.file(archive)) });
    servers.push(server);
    mkdirSync(tmp.path("bin"));
    const bad = finished((await runIn(tmp.dir, `- micromamba: { source: mm.tar.bz2, bin_dir: bin, sha256: "${"0".repeat(64)}" }\n`)).stdout);
    expect(bad.errors[0]).toMatch(/^Cannot install micromamba: ".*mm\.tar\.bz2" has sha256 [0-9a-f]{64}, expected 0{64}$/);
    expect(existsSync(tmp.path("bin/micromamba"))).toBe(false);

    const fetched = finished((await runIn(tmp.dir, `- micromamba: { url: "http://127.0.0.1:${server.port}/latest", bin_dir: bin, root_prefix: /opt/mamba, config_file: mambarc }\n`)).stdout);
    expect(fetched.errors).toEqual([]);
    expect(Bun.spawnSync([tmp.path("bin/micromamba"), "--version"]).stdout.toString()).toBe("micromamba 2.0.5\n");
    expect(readFileSync(tmp.path("mambarc"), "utf8")).toContain('root_prefix: "/opt/mamba"');

    finished((await runIn(tmp.dir, "- micromamba: { state: absent, bin_dir: bin }\n")).stdout);
    expect(existsSync(tmp.path("bin/micromamba"))).toBe(false);
  });
});

describe("python_env", () => {
  test("builds the environment with uv from requirements.txt once, and again only when the spec changes", async () => {
    const tmp = sandbox({ "requirements.txt": "numpy==2.1\n" });
    const log = tmp.path("uv.log");
    fakeProgram(tmp.dir, "uv", `printf '%s\\n' "uv $*" >> '${log}'`);
    const config = "- python_env: { backend: uv, name: torch, spec: requirements, envs_dir: envs }\n";
    expect(finished((await runIn(tmp.dir, config)).stdout).counts).toMatchObject({ changed: 1, failed: 0 });
    const env = tmp.path("envs/torch");
    expect(readFileSync(log, "utf8")).toBe(`uv venv --allow-existing ${env}\nuv pip install --python ${env}/bin/python -r ${tmp.path("requirements.txt")}\n`);
    expect(readFileSync(join(env, ".mooncake-spec"), "utf8")).toMatch(/^uv requirements sha256:[0-9a-f]{64}\n$/);

    writeFileSync(log, "");
    expect(finished((await runIn(tmp.dir, config)).stdout).counts).toMatchObject({ changed: 0 });
    expect(readFileSync(log, "utf8")).toBe("");

    writeFileSync(tmp.path("requirements.txt"), "numpy==2.2\n");
    const changed = finished((await runIn(tmp.dir, config)).stdout);
    expect(changed.changes[0].reason).toBe(`${tmp.path("requirements.txt")} changed since the environment was built`);
  });

  test("a dry-run whose spec file an earlier step writes says so instead of failing", async () => {
    const tmp = sandbox({ "reqs.in": "numpy==2.1\n" });
    fakeProgram(tmp.dir, "uv", "exit 0");
    const config = "- copy: { src: reqs.in, dest: requirements.txt }\n- python_env: { backend: uv, name: torch, spec: requirements, envs_dir: envs }\n";
    const preview = finished((await runIn(tmp.dir, config, {}, "--dry-run")).stdout);
    expect(preview.errors).toEqual([]);
    expect(preview.changes[1].reason).toBe(`\`${tmp.path("requirements.txt")}\` is created by step-0001`);
  });
});

describe("ollama", () => {
  test("a missing bin_dir is created; a link where lib/ollama goes is replaced, and what it pointed to is left alone", async () => {
    const tmp = sandbox();
    releaseArchive(tmp.dir, "ollama.tgz", { "bin/ollama": versionScript("ollama", "0.5.7"), "lib/ollama/libggml.so": "new" });
    mkdirSync(tmp.path("opt/lib"), { recursive: true });
    mkdirSync(tmp.path("elsewhere"));
    writeFileSync(tmp.path("elsewhere/libggml.so"), "keep");
    symlinkSync(tmp.path("elsewhere"), tmp.path("opt/lib/ollama"));
    const result = finished((await runIn(tmp.dir, "- ollama: { source: ollama.tgz, bin_dir: opt/bin, service: false }\n")).stdout);
    expect(result.errors).toEqual([]);
    expect(Bun.spawnSync([tmp.path("opt/bin/ollama")]).stdout.toString()).toBe("ollama 0.5.7\n");
    expect(lstatSync(tmp.path("opt/lib/ollama")).isDirectory()).toBe(true);
    expect(readFileSync(tmp.path("opt/lib/ollama/libggml.so"), "utf8")).toBe("new");
    expect(readdirSync(tmp.path("elsewhere"))).toEqual(["libggml.so"]);
    expect(readFileSync(tmp.path("elsewhere/libggml.so"), "utf8")).toBe("keep");
    expect(readdirSync(tmp.path("opt/lib"))).toEqual(["ollama"]);
  });

  test("installs from a local release, writes the unit and drop-in, starts the service, pulls only missing models; a second run changes nothing", async () => {
    const tmp = sandbox();
    const pulls = tmp.path("pulls.log");
    releaseArchive(tmp.dir, "ollama.tgz", {
      "bin/ollama": `#!/bin/sh\ncase "$1" in --version) echo "ollama version is 0.5.7" ;; pull) printf '%s %s\\n' "$OLLAMA_HOST" "$2" >> '${pulls}' ;; esac\n`,
      "lib/ollama/libggml.so": "lib",
    });
    const systemctl = fakeSystemctl(tmp.dir);
    const models = ["llama3.1:8b"];
    const api = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => Response.json({ models: models.map((name) => ({ name })) }) });
    servers.push(api);
    mkdirSync(tmp.path("usr/bin"), { recursive: true });
    const env = { MOONCAKE_SYSTEMD_ROOT: tmp.path("root") };
    const config = `- ollama: { source: ollama.tgz, bin_dir: usr/bin, host: "127.0.0.1:${api.port}", models_dir: /srv/models, pull: [llama3.1:8b, qwen2.5:7b] }\n`;

    const first = finished((await runIn(tmp.dir, config, env)).stdout);
    expect(first.errors).toEqual([]);
    expect(readFileSync(tmp.path("usr/lib/ollama/libggml.so"), "utf8")).toBe("lib");
    expect(readFileSync(tmp.path("root/etc/systemd/system/ollama.service"), "utf8")).toContain(`ExecStart=${tmp.path("usr/bin/ollama")} serve`);
    expect(readFileSync(tmp.path("root/etc/systemd/system/ollama.service.d/mooncake.conf"), "utf8")).toBe(
      `[Service]\nEnvironment="OLLAMA_HOST=127.0.0.1:${api.port}"\nEnvironment="OLLAMA_MODELS=/srv/models"\nReadWritePaths=/srv/models\n`,
    );
    // check asks, apply asks again (the machine may have moved) and then acts.
    expect(systemctl.calls()).toEqual([
      "is-active ollama.service", "is-enabled ollama.service", "is-active ollama.service", "is-enabled ollama.service",
      "daemon-reload", "start ollama.service", "enable ollama.service",
    ]);
    expect(readFileSync(pulls, "utf8")).toBe(`http://127.0.0.1:${api.port} qwen2.5:7b\n`);

    models.push("qwen2.5:7b");
    systemctl.clearCalls();
    const second = finished((await runIn(tmp.dir, config, env)).stdout);
    expect(second.counts).toMatchObject({ changed: 0, ok: 1 });
    expect(systemctl.calls().filter((c) => !c.startsWith("is-"))).toEqual([]);
    expect(readFileSync(pulls, "utf8")).toBe(`http://127.0.0.1:${api.port} qwen2.5:7b\n`);

    systemctl.clearCalls();
    finished((await runIn(tmp.dir, config.replace("models_dir: /srv/models, ", "debug: true, "), env)).stdout);
    expect(systemctl.calls().filter((c) => !c.startsWith("is-"))).toEqual(["daemon-reload", "restart ollama.service"]);
  });
});
