import { describe, expect, test } from "bun:test";
import { sandbox } from "../helpers/converge.ts";
import { runBinary } from "../helpers/run_binary.ts";

// Forms the original mooncake's preset catalogue writes, in presets made up for these tests: each
// must validate, plan and run unchanged.

const TWO_INCLUDE_PRESET = [
  "name: NAME",
  "description: made up for a test",
  "version: 1.0.0",
  "parameters: {state: {type: string, required: false, default: present, enum: [present, absent]}}",
  "steps:",
  "  - {name: Install, include: tasks/install.yml, when: 'parameters.state == \"present\"'}",
  "  - {name: Uninstall, include: tasks/uninstall.yml, when: 'parameters.state == \"absent\"'}",
  "",
].join("\n");

/** A project whose presets/NAME folders hold the given files; the config uses each preset with its defaults. */
function project(presets: Record<string, Record<string, string>>) {
  const files: Record<string, string> = { "site.yml": Object.keys(presets).map((name) => `- preset: ${name}\n`).join("") };
  for (const [name, presetFiles] of Object.entries(presets)) {
    files[`presets/${name}/preset.yml`] = TWO_INCLUDE_PRESET.replace("NAME", name);
    files[`presets/${name}/tasks/uninstall.yml`] = "- print: removed\n";
    for (const [path, text] of Object.entries(presetFiles)) files[`presets/${name}/${path}`] = text;
  }
  const tmp = sandbox(files);
  const run = (...args: string[]) => runBinary(args, { cwd: tmp.dir, env: { XDG_CACHE_HOME: tmp.path("cache") } });
  return { ...tmp, run };
}

function expectValidAndPlanned(p: ReturnType<typeof project>): void {
  const validate = p.run("validate", "-c", "site.yml");
  expect(validate.stdout + validate.stderr).toContain("is valid");
  expect(p.run("plan", "-c", "site.yml").exitCode).toBe(0);
}

describe("presets written for the original mooncake", () => {
  test("a result registered under a name with - or a leading digit is read back by when and templates", () => {
    const p = project({
      "2nd-tool": {
        "tasks/install.yml": [
          "- shell: exit 3",
          "  register: 2nd-tool_check",
          "  failed_when: false",
          "- print: 'rc was {{ 2nd-tool_check.rc }}'",
          "  when: os == \"linux\" and 2nd-tool_check.rc != 0",
          "- print: never",
          "  when: 2nd-tool_check.rc == 0",
          "",
        ].join("\n"),
      },
    });
    expectValidAndPlanned(p);
    const run = p.run("run", "-c", "site.yml", "--raw", "--no-artifacts");
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("rc was 3");
    expect(run.stdout).toMatch(/skipped +step-0003 +print: never/);
  });
});
