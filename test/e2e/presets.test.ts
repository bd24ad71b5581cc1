import { describe, expect, test } from "bun:test";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { EMBEDDED_PRESET_FILES } from "../../actions/presets/embedded_presets.ts";
import { sandbox } from "../helpers/converge.ts";
import { runBinary } from "../helpers/run_binary.ts";

const WEB_PRESET = {
  "presets/web/preset.yml": [
    "name: web",
    "description: A web server config",
    "version: '1.2'",
    "parameters:",
    "  port: { type: integer, required: true, description: the port to listen on }",
    "  state: { type: string, default: present, enum: [present, absent] }",
    "steps:",
    "  - include: tasks/install.yml",
    '    when: parameters.state == "present"',
    "",
  ].join("\n"),
  "presets/web/tasks/install.yml": "- template: { src: ../templates/web.conf.mustache, dest: '{{ out }}/web.conf' }\n",
  "presets/web/templates/web.conf.mustache": "listen {{ parameters.port }}\n",
};

function project(site: string, files: Record<string, string> = WEB_PRESET) {
  const tmp = sandbox({ "site.yml": site, ...files });
  const run = (...args: string[]) => runBinary(args, { cwd: tmp.dir, env: { XDG_CACHE_HOME: tmp.path("cache") } });
  return { ...tmp, run };
}

describe("presets", () => {
  test("a preset beside the config runs its included tasks with its parameters, templates read from its folder", () => {
    const p = project("vars: { out: out }\nsteps:\n  - preset: { name: web, with: { port: 8080 } }\n");
    const plan = JSON.parse(p.run("plan", "-c", "site.yml", "--format", "json").stdout);
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0]).toMatchObject({ action: "template", parameters: { port: 8080, state: "present" } });
    expect(plan.steps[0].origin.include_stack.map((s: { file: string }) => relative(p.dir, s.file))).toEqual(["site.yml", "presets/web/preset.yml"]);
    const run = p.run("run", "-c", "site.yml", "--raw", "--no-artifacts");
    expect(run.exitCode).toBe(0);
    // dest is relative to the file that declares the step: the preset's tasks folder.
    expect(readFileSync(p.path("presets/web/tasks/out/web.conf"), "utf8")).toBe("listen 8080\n");
  });

  test("parameters are checked at plan time: missing, wrong type, outside enum, unknown, each located at the step", () => {
    const p = project([
      "- preset: web",
      "- preset: { name: web, with: { port: eighty } }",
      "- preset: { name: web, with: { port: 80, state: gone, colour: red } }",
      "- preset: nosuch",
      "",
    ].join("\n"));
    const result = p.run("validate", "-c", "site.yml");
    expect(result.exitCode).toBe(2);
    const out = result.stdout + result.stderr;
    expect(out).toContain('site.yml:1:11: error: Preset "web": parameter "port" is required (the port to listen on)');
    expect(out).toContain('site.yml:2:38: error: Preset "web": parameter "port" must be integer, got "eighty"');
    expect(out).toContain('site.yml:3:49: error: Preset "web": parameter "state" must be one of "present", "absent", got "gone"');
    expect(out).toContain('site.yml:3:63: error: Preset "web": unknown parameter "colour" (it has port, state)');
    expect(out).toContain('site.yml:4:11: error: Preset "nosuch" not found');
  });

  test("MOONCAKE_PRESETS_PATH is searched; presets list and show describe what is found, the embedded ones too", () => {
    const p = project("vars: { out: /tmp }\nsteps:\n  - preset: { name: web, with: { port: 1 } }\n", {});
    const shared = sandbox(Object.fromEntries(Object.entries(WEB_PRESET).map(([k, v]) => [k.replace("presets/", ""), v])));
    const env = { XDG_CACHE_HOME: p.path("cache"), MOONCAKE_PRESETS_PATH: shared.dir };
    expect(runBinary(["validate", "-c", "site.yml"], { cwd: p.dir, env }).exitCode).toBe(0);
    const list = JSON.parse(runBinary(["presets", "list", "--format", "json"], { cwd: p.dir, env }).stdout);
    expect(list).toEqual([
      { name: "ml-host", description: expect.any(String), version: "1.0", source: "embedded" },
      { name: "web", description: "A web server config", version: "1.2", source: join(shared.dir, "web/preset.yml") },
    ]);
    const show = runBinary(["presets", "show", "ml-host"], { cwd: p.dir, env });
    expect(show.exitCode).toBe(0);
    expect(show.stdout).toContain("  models: array, default [] - Ollama models to pull, such as llama3.1:8b");
    expect(show.stdout).toContain("nvidia_container_toolkit: {}");
  });

  test("the embedded ml-host preset plans with its defaults and given parameters, from its cache copy", () => {
    const p = project("- preset: { name: ml-host, with: { models: [llama3.1:8b], docker: false } }\n", {});
    const plan = p.run("plan", "-c", "site.yml", "--format", "json");
    expect(plan.exitCode).toBe(0);
    const steps = JSON.parse(plan.stdout).steps as { action: string; args: unknown }[];
    expect(steps.map((s) => s.action)).toEqual(["docker", "nvidia_container_toolkit", "uv", "ollama"]);
    // A tag giving a list renders as its JSON text, which ollama reads as the list.
    expect(steps[3]!.args).toEqual({ host: "127.0.0.1:11434", pull: ["llama3.1:8b"] });
    const [hash] = readdirSync(p.path("cache/mooncake/presets"));
    expect(readdirSync(p.path("cache/mooncake/presets"))).toHaveLength(1);
    // A changed cache copy is written again from the binary, not trusted.
    const cached = p.path(`cache/mooncake/presets/${hash}/ml-host/preset.yml`);
    writeFileSync(cached, "steps: []\n");
    expect(p.run("plan", "-c", "site.yml").exitCode).toBe(0);
    expect(readFileSync(cached, "utf8")).toBe(EMBEDDED_PRESET_FILES["ml-host"]!["preset.yml"]!);
  });

  test("every folder under actions/presets is embedded, file for file", () => {
    const root = join(import.meta.dir, "../../actions/presets");
    const onDisk = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(Object.keys(EMBEDDED_PRESET_FILES).sort()).toEqual(onDisk.sort());
    for (const name of onDisk) {
      const files = readdirSync(join(root, name), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(join(root, name), join(e.parentPath, e.name)));
      expect(Object.keys(EMBEDDED_PRESET_FILES[name]!).sort()).toEqual(files.sort());
      for (const file of files) expect(EMBEDDED_PRESET_FILES[name]![file]).toBe(readFileSync(join(root, name, file), "utf8"));
    }
  });
});
