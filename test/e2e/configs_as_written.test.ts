// Configs as people write them (issue 13): templated formats, vars that use vars, template
// files parsed at plan time, stale saved plans, and the spellings users bring.
import { describe, expect, test } from "bun:test";
import { existsSync, lstatSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { runBinary } from "../helpers/run_binary.ts";
import { sandbox as site } from "../helpers/converge.ts";

function errorLines(output: string): string[] {
  return output.split("\n").filter((l) => l.includes("error:"));
}

function finishedEvents(stdout: string): { step_id: string; data: Record<string, any> }[] {
  return stdout.trimEnd().split("\n").map((line) => JSON.parse(line)).filter((e) => e.type === "step.finished");
}

const SHA = "a".repeat(64);

/** The first schema below `schema` with a property `key`, and that property. */
function propertyOf(schema: unknown, key: string): any {
  if (Array.isArray(schema)) return schema.map((s) => propertyOf(s, key)).find(Boolean);
  if (!schema || typeof schema !== "object") return undefined;
  const properties = (schema as { properties?: Record<string, unknown> }).properties;
  return properties?.[key] ?? Object.values(schema).map((s) => propertyOf(s, key)).find(Boolean);
}

describe("templated values: the schema checks shape, the format is checked after rendering", () => {
  test("download, copy, unarchive and step fields taken from variables validate and plan with their rendered, typed values", () => {
    const tmp = site({
      "site.yml": [
        "vars:",
        "  base: https://example.test/dl",
        "  version: '1.2'",
        `  app_sha: ${SHA}`,
        "  n: 3",
        "  secs: '2.5'",
        "  strip: 1",
        "  file_mode: '0640'",
        "  wait: 30s",
        "steps:",
        "  - download:",
        '      url: "{{ base }}/app-{{ version }}.tgz"',
        "      dest: /tmp/app.tgz",
        '      sha256: "{{ app_sha }}"',
        '      timeout_s: "{{ secs }}"',
        '      retries: "{{ n }}"',
        '      mode: "{{ file_mode }}"',
        "  - copy: { src: a, dest: b, checksum: \"sha256:{{ app_sha }}\" }",
        '  - unarchive: { src: a.tgz, dest: out, strip_components: "{{ strip }}", mode: "{{ file_mode }}" }',
        "  - shell: echo hi",
        '    timeout: "{{ wait }}"',
        '    retries: "{{ n }}"',
        '    retry_delay: "{{ wait }}"',
        "",
      ].join("\n"),
    });
    const validated = runBinary(["validate", "-c", "site.yml"], { cwd: tmp.dir });
    expect(validated.stdout + validated.stderr).toContain("is valid");
    expect(validated.exitCode).toBe(0);
    const planned = runBinary(["plan", "-c", "site.yml", "--format", "json"], { cwd: tmp.dir });
    expect(planned.exitCode).toBe(0);
    const steps = JSON.parse(planned.stdout).steps;
    expect(steps[0].args).toMatchObject({ url: "https://example.test/dl/app-1.2.tgz", sha256: SHA, timeout_s: 2.5, retries: 3, mode: "0640" });
    expect(steps[1].args.checksum).toBe(`sha256:${SHA}`);
    expect(steps[2].args).toMatchObject({ strip_components: 1, mode: "0640" });
    expect(steps[3]).toMatchObject({ timeout: "30s", retries: 3, retry_delay: "30s" });
  });

  test("a rendered value of the wrong format is reported at the field, with the rendered value", () => {
    const tmp = site({
      "site.yml": [
        "vars:",
        "  base: ftp://example.test",
        "  n: many",
        "  wait: 1m30s",
        "steps:",
        '  - download: { url: "{{ base }}/app.tgz", dest: /tmp/app.tgz }',
        "  - shell: echo hi",
        '    retries: "{{ n }}"',
        '    timeout: "{{ wait }}"',
        "",
      ].join("\n"),
    });
    const result = runBinary(["validate", "-c", "site.yml"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(2);
    expect(errorLines(result.stdout)).toEqual([
      'site.yml:6:22: error: download.url: "ftp://example.test/app.tgz" is not valid: expected an http:// or https:// URL (rendered from "{{ base }}/app.tgz")',
      'site.yml:9:14: error: timeout: "1m30s" is not valid: expected a duration such as "30s", "5m" or "250ms", at most 8760h (365 days) (rendered from "{{ wait }}")',
      'site.yml:8:14: error: retries: Expected a number, got "many" (rendered from "{{ n }}")',
    ]);
  });

  test("a value that reads a registered result is checked when the step runs: kind validation, at the field", () => {
    const tmp = site({
      "site.yml": [
        "- shell: echo 5 minutes",
        "  register: probe",
        "- shell: echo ran > ran",
        '  timeout: "{{ probe.stdout | trim }}"',
        "",
      ].join("\n"),
    });
    const result = runBinary(["run", "-c", "site.yml", "--log-format", "json"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(3);
    const failed = finishedEvents(result.stdout).find((e) => e.step_id === "step-0002")!;
    expect(failed.data.status).toBe("failed");
    expect(failed.data.error).toEqual({
      kind: "validation",
      message: `site.yml:4:12: timeout: "5 minutes" is not valid: expected a duration such as "30s", "5m" or "250ms", at most 8760h (365 days) (rendered from "{{ probe.stdout | trim }}")`,
    });
    expect(existsSync(tmp.path("ran"))).toBe(false);
  });

  test("a registered value of the right format is used when the step runs", () => {
    const tmp = site({
      "site.yml": "- shell: echo 2\n  register: n\n- shell: echo x >> tries; exit 1\n  retries: \"{{ n.stdout | trim }}\"\n  ignore_errors: true\n",
    });
    const result = runBinary(["run", "-c", "site.yml"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(0);
    expect(readFileSync(tmp.path("tries"), "utf8")).toBe("x\nx\nx\n");
  });

  test("the JSON schema accepts a template wherever a templated value is allowed, and still a literal's format", () => {
    const schema = JSON.parse(runBinary(["schema"]).stdout);
    const download = propertyOf(schema, "download");
    const template = { type: "string", pattern: "\\{\\{", description: expect.any(String) };
    expect(download.properties.url.anyOf).toEqual([{ type: "string", pattern: "^https?://", description: expect.any(String) }, template]);
    expect(download.properties.retries.anyOf).toEqual([{ type: "integer", minimum: 0, maximum: 100, description: expect.any(String) }, template]);
    expect(propertyOf(schema, "unarchive").properties.strip_components.anyOf[1]).toEqual(template);
  });
});

describe("vars blocks whose values use each other", () => {
  for (const [where, wrap] of [
    ["top-level vars", (body: string) => `vars:\n${body}steps:\n  - print: "{{ conf }}"\n`],
    ["a vars step", (body: string) => `- vars:\n${body.replace(/^ {2}/gm, "    ")}- print: "{{ conf }}"\n`],
  ] as const) {
    test(`${where} resolve in dependency order, whichever comes first`, () => {
      for (const body of ["  base: /srv/app\n  conf: \"{{ base }}/conf\"\n", "  conf: \"{{ base }}/conf\"\n  base: /srv/app\n"]) {
        const tmp = site({ "site.yml": wrap(body) });
        const result = runBinary(["plan", "-c", "site.yml", "--format", "json"], { cwd: tmp.dir });
        expect(result.stderr).toBe("");
        expect(JSON.parse(result.stdout).steps[0].args).toBe("/srv/app/conf");
      }
    });
  }

  test("a cycle is one located diagnostic naming the chain", () => {
    const tmp = site({ "site.yml": 'vars:\n  a: "{{ b }}-x"\n  b: "{{ c }}"\n  c: "{{ a }}"\n  d: fine\nsteps:\n  - print: "{{ d }}"\n' });
    const result = runBinary(["validate", "-c", "site.yml"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(2);
    expect(errorLines(result.stdout)).toEqual(['site.yml:2:6: error: Variables refer to each other in a cycle: a -> b -> c -> a']);
  });
});

describe("template files are parsed by validate and plan", () => {
  test("a Jinja block in a template.src file is reported at the template's own line, with the step using it", () => {
    const tmp = site({
      "site.yml": "- shell: echo first > first\n- name: Write config\n  template: { src: app.conf.mustache, dest: out.conf }\n",
      "app.conf.mustache": "port = {{ port | default(80) }}\n{% if debug %}\ndebug = true\n{% endif %}\n",
    });
    for (const command of ["validate", "plan"]) {
      const result = runBinary([command, "-c", "site.yml"], { cwd: tmp.dir });
      expect(result.exitCode).toBe(2);
      const [line] = errorLines(result.stdout + result.stderr);
      expect(line).toStartWith('app.conf.mustache:2:1: error: Template error in "app.conf.mustache" (template of step "Write config", site.yml:2:3): ');
      expect(line).toContain("{{#debug}}");
    }
    const run = runBinary(["run", "-c", "site.yml"], { cwd: tmp.dir });
    expect(run.exitCode).toBe(2);
    expect(existsSync(tmp.path("first"))).toBe(false);
  });

  test("an unclosed tag in a systemd unit or drop-in src_template is reported at its line and column", () => {
    const tmp = site({
      "site.yml": "- systemd:\n    name: app\n    unit: { src_template: unit.mustache, dest: app.service }\n    dropin: { name: 10-env.conf, src_template: dropin.mustache }\n",
      "unit.mustache": "[Service]\nExecStart={{ bin\n",
      "dropin.mustache": "[Service]\n{{#env}}Environment={{ . }}\n",
    });
    const result = runBinary(["validate", "-c", "site.yml"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(2);
    const lines = errorLines(result.stdout);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toStartWith('unit.mustache:2:11: error: Template error in "unit.mustache" (template of a systemd step, site.yml:1:3): ');
    expect(lines[1]).toStartWith('dropin.mustache:2:1: error: Template error in "dropin.mustache" (template of a systemd step, site.yml:1:3): ');
  });

  test("a template file that does not exist yet is left to the run (an earlier step may create it)", () => {
    const tmp = site({ "site.yml": "- template: { src: made-later.mustache, dest: out }\n" });
    expect(runBinary(["validate", "-c", "site.yml"], { cwd: tmp.dir }).exitCode).toBe(0);
  });
});

describe("a saved plan is stale when any file the compiler read changed", () => {
  const files = {
    "site.yml": "- include: roles/web.yml\n- include_vars: vars.yml\n- template: { src: page.mustache, dest: page.html }\n",
    "roles/web.yml": "- print: web\n",
    "vars.yml": "who: world\n",
    "cli.yml": "greeting: hello\n",
    "page.mustache": "{{ greeting }} {{ who }}\n",
  };
  for (const [changed, text] of [
    ["roles/web.yml", "- print: other\n"],
    ["vars.yml", "who: them\n"],
    ["cli.yml", "greeting: hi\n"],
    ["page.mustache", "{{ greeting }}, {{ who }}!\n"],
  ]) {
    test(`an edited ${changed} makes run --from-plan refuse the plan`, () => {
      const tmp = site(files);
      expect(runBinary(["plan", "-c", "site.yml", "--vars", "cli.yml", "-o", "plan.json"], { cwd: tmp.dir }).exitCode).toBe(0);
      writeFileSync(tmp.path(changed!), text!);
      const stale = runBinary(["run", "--from-plan", "plan.json"], { cwd: tmp.dir });
      expect(stale.stderr).toBe(`error: Saved plan "plan.json" is stale: "${changed}" changed since the plan was made; make the plan again\n`);
      expect(stale.exitCode).toBe(2);
      expect(existsSync(tmp.path("page.html"))).toBe(false);
    });
  }

  test("a file added under a with_filetree directory makes the plan stale", () => {
    const tmp = site({ "site.yml": "- print: \"{{ item.path }}\"\n  with_filetree: tree\n", "tree/a": "a\n" });
    expect(runBinary(["plan", "-c", "site.yml", "-o", "plan.json"], { cwd: tmp.dir }).exitCode).toBe(0);
    expect(runBinary(["run", "--from-plan", "plan.json"], { cwd: tmp.dir }).exitCode).toBe(0);
    writeFileSync(tmp.path("tree/b"), "b\n");
    const stale = runBinary(["run", "--from-plan", "plan.json"], { cwd: tmp.dir });
    expect(stale.stderr).toBe('error: Saved plan "plan.json" is stale: "tree" changed since the plan was made; make the plan again\n');
    expect(stale.exitCode).toBe(2);
  });

  test("a config that starts with a byte order mark is not taken for a changed one", () => {
    const tmp = site({ "site.yml": "\uFEFF- shell: echo ran > ran\n" });
    expect(runBinary(["plan", "-c", "site.yml", "-o", "plan.json"], { cwd: tmp.dir }).exitCode).toBe(0);
    const result = runBinary(["run", "--from-plan", "plan.json"], { cwd: tmp.dir });
    expect(result.stderr).toBe("");
    expect(readFileSync(tmp.path("ran"), "utf8")).toBe("ran\n");
  });

  test("an unchanged plan still runs, and renders the template it recorded", () => {
    const tmp = site(files);
    expect(runBinary(["plan", "-c", "site.yml", "--vars", "cli.yml", "-o", "plan.json"], { cwd: tmp.dir }).exitCode).toBe(0);
    expect(runBinary(["run", "--from-plan", "plan.json"], { cwd: tmp.dir }).exitCode).toBe(0);
    expect(readFileSync(tmp.path("page.html"), "utf8")).toBe("hello world\n");
  });
});

describe("the spellings users bring", () => {
  test("file: {state: link|hardlink, src, dest, force} creates the links at dest", () => {
    const tmp = site({
      "site.yml": "- file: { state: link, src: target.txt, dest: soft }\n- file: { state: hardlink, src: target.txt, dest: hard, force: true }\n",
      "target.txt": "t\n",
      "hard": "in the way\n",
    });
    const result = runBinary(["run", "-c", "site.yml"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(0);
    expect(lstatSync(tmp.path("soft")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(tmp.path("soft"))).toBe(tmp.path("target.txt"));
    expect(lstatSync(tmp.path("hard")).ino).toBe(lstatSync(tmp.path("target.txt")).ino);
  });

  test("a link with both path and dest, or neither, is refused at the key", () => {
    const tmp = site({ "site.yml": "- file: { state: link, src: t, dest: a, path: b }\n- file: { state: link, src: t }\n" });
    const result = runBinary(["validate", "-c", "site.yml"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(2);
    expect(errorLines(result.stdout)).toEqual([
      'site.yml:1:41: error: file.path: "dest" and "path" name the same link: write one of them',
      'site.yml:2:9: error: file: Missing required key "path" (or "dest", its other name)',
    ]);
  });

  test("structured shell takes env, cwd and timeout_s inside shell:", () => {
    const tmp = site({
      "site.yml": "- shell:\n    cmd: echo \"$GREETING from $(pwd)\" > \"$OUT\"\n    interpreter: sh\n    env: { GREETING: hi, OUT: \"{{ out }}\" }\n    cwd: /tmp\n    timeout_s: 5\n    capture: false\n",
    });
    const result = runBinary(["run", "-c", "site.yml", "--var", `out=${tmp.path("said")}`], { cwd: tmp.dir });
    expect(result.exitCode).toBe(0);
    expect(readFileSync(tmp.path("said"), "utf8")).toBe("hi from /tmp\n");
    const planned = JSON.parse(runBinary(["plan", "-c", "site.yml", "--var", "out=x", "--format", "json"], { cwd: tmp.dir }).stdout);
    expect(planned.steps[0]).toMatchObject({ env: { GREETING: "hi", OUT: "x" }, cwd: "/tmp", timeout: "5s" });
  });

  test("timeout_s inside shell: stops the command like timeout", () => {
    const tmp = site({ "site.yml": "- shell: { cmd: sleep 30, timeout_s: 1 }\n" });
    const result = runBinary(["run", "-c", "site.yml", "--log-format", "json"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(3);
    expect(finishedEvents(result.stdout)[0]!.data.error.kind).toBe("timeout");
  });

  test("env or cwd both at the step and inside shell: is refused", () => {
    const tmp = site({ "site.yml": "- shell: { cmd: env, cwd: /tmp }\n  cwd: /var\n" });
    const result = runBinary(["validate", "-c", "site.yml"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(2);
    expect(errorLines(result.stdout)).toEqual(['site.yml:1:27: error: shell.cwd: the step also sets "cwd": write it once']);
  });

  test("the flat assert {command, rc, stdout_contains, stdout_regex, timeout_s} checks like the nested one", () => {
    const good = site({ "site.yml": "- assert: { command: \"echo ready 42\", rc: 0, stdout_contains: ready, stdout_regex: \"[0-9]+$\", timeout_s: 5 }\n" });
    expect(runBinary(["run", "-c", "site.yml"], { cwd: good.dir }).exitCode).toBe(0);
    const bad = site({ "site.yml": "- assert: { command: \"echo nope\", stdout_contains: ready }\n" });
    const result = runBinary(["run", "-c", "site.yml"], { cwd: bad.dir });
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toContain('expected stdout to contain "ready", found "nope\\n"');
  });

  test("flat assert fields beside a nested command: are refused", () => {
    const tmp = site({ "site.yml": "- assert: { command: { cmd: \"true\" }, rc: 0 }\n" });
    const result = runBinary(["validate", "-c", "site.yml"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(2);
    expect(errorLines(result.stdout)).toEqual(['site.yml:1:39: error: assert.rc: with command: as a mapping, write rc inside it']);
  });
});
