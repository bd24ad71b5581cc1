import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { sandbox } from "../helpers/converge.ts";
import { jsonEvents } from "../helpers/json_events.ts";
import { runBinary, type BinaryResult } from "../helpers/run_binary.ts";

/** One secret per source a variable can come from, each unlike any other text of the run. */
const SECRET = {
  configVar: "cfgvar-sentinel-4e1a",
  includeVars: "incvars-sentinel-77b2",
  cliVar: "clivar-sentinel-0c9d",
  varsFile: "varsfile-sentinel-5f3e",
  secretVarsFile: "secretfile-sentinel-a8d4",
  registered: "registered-sentinel-61f0",
};

/** What the config makes of the secrets: none of it may show either. */
const DERIVED = {
  upper: SECRET.configVar.toUpperCase(),
  b64: Buffer.from(SECRET.includeVars).toString("base64"),
  prefix: "clivar-sentinel",
  concatenated: `pre${SECRET.varsFile.toUpperCase()}post`,
  derivedVar: `postgres://app:${SECRET.configVar}@db`,
  registeredUpper: SECRET.registered.toUpperCase(),
};

/** Text a `no_log` step prints, runs or writes: hidden like a secret. */
const NO_LOG = {
  shellOutput: "nolog-shell-out-3b7c",
  shellCommand: "nolog-shell-cmd-90aa",
  commandOutput: "nolog-command-out-12ef",
  templateContent: "nolog-template-body-6d05",
  failure: "nolog-failure-out-c4e8",
};

const EVERY_SENTINEL = [...Object.values(SECRET), ...Object.values(DERIVED), ...Object.values(NO_LOG)];

const CONFIG = `
secrets: [db_password, file_token, cli_token, extra_token, reg_token, dsn]
vars:
  db_password: ${SECRET.configVar}
  dsn: "postgres://app:{{ db_password }}@db"
steps:
  - include_vars: more.yml
  - name: print the transformed secrets
    print: "upper {{ db_password | upper }} b64 {{ file_token | b64encode }} prefix {{ cli_token | split('-0') | first }}"
  - name: concatenated
    shell: 'echo "pre{{ extra_token | upper }}post" > concatenated.txt'
  - name: the secret file's value
    shell: 'echo "{{ vault_token }}" > vault.txt'
  - name: derived var
    shell: 'echo "{{ dsn }}" > dsn.txt'
  - name: a file of a transformed secret
    file:
      path: copied.txt
      content: "token={{ file_token | b64encode }}\\n"
  - name: a template of a transformed secret
    template: { src: app.conf.tmpl, dest: app.conf }
  - name: read the registered secret
    shell: cat token.txt
    register: reg_token
  - name: use the registered secret
    shell: 'echo "{{ reg_token.stdout | trim | upper }}" > registered.txt'
  - name: hidden shell
    shell: 'echo ${NO_LOG.shellOutput} # ${NO_LOG.shellCommand}'
    no_log: true
    register: hidden
  - name: hidden command
    command: { argv: [printf, "${NO_LOG.commandOutput}"] }
    no_log: true
  - name: hidden template
    template: { src: hidden.tmpl, dest: hidden.conf }
    no_log: true
  - name: hidden failure
    shell: 'echo ${NO_LOG.failure}; echo ${NO_LOG.failure} >&2; exit 3'
    no_log: true
    ignore_errors: true
  - name: what the hidden step registered
    shell: 'printf "%s" "{{ hidden.stdout }}" > hidden_seen.txt'
`;

function site(): ReturnType<typeof sandbox> {
  return sandbox({
    "site.yml": CONFIG,
    "more.yml": `file_token: ${SECRET.includeVars}\n`,
    "extra.yml": `extra_token: ${SECRET.varsFile}\n`,
    "vault.yml": `vault_token: ${SECRET.secretVarsFile}\n`,
    "app.conf.tmpl": "password={{ db_password | upper }}\nplain=line\n",
    "hidden.tmpl": `body=${NO_LOG.templateContent}\n`,
    "token.txt": SECRET.registered,
  });
}

const INPUTS = ["--vars", "extra.yml", "--var", `cli_token=${SECRET.cliVar}`, "--secret-vars", "vault.yml"];

/** Every file below `dir`, with its path, for a sentinel grep. */
function filesBelow(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path, text: readFileSync(path, "utf8") }));
}

/** The sentinels found in each output, by output: empty when nothing leaked. */
function leaks(outputs: Record<string, string>, sentinels = EVERY_SENTINEL): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const [name, text] of Object.entries(outputs)) {
    const seen = sentinels.filter((s) => text.includes(s));
    if (seen.length > 0) found[name] = seen;
  }
  return found;
}

function outputsOf(label: string, result: BinaryResult): Record<string, string> {
  return { [`${label} stdout`]: result.stdout, [`${label} stderr`]: result.stderr };
}

describe("secrets from every source, and what templates make of them, appear in no output", () => {
  test("plan (text, JSON, YAML, saved), dry-run and run (text, raw, JSON events), every artifact and the facts file", () => {
    const tmp = site();
    const run = (...args: string[]) => runBinary([...args, ...INPUTS], { cwd: tmp.dir });
    // A plan shows the steps as the config writes them, no_log or not (a saved plan must run): only secrets are hidden there.
    const plans: Record<string, string> = {};
    for (const format of ["text", "json", "yaml"]) {
      const plan = run("plan", "-c", "site.yml", "--format", format);
      expect(plan.exitCode).toBe(0);
      Object.assign(plans, outputsOf(`plan --format ${format}`, plan));
    }
    expect(leaks(plans, [...Object.values(SECRET), ...Object.values(DERIVED)])).toEqual({});
    const outputs: Record<string, string> = {};
    const dryText = run("run", "-c", "site.yml", "--dry-run", "--raw", "--log-level", "debug");
    expect(dryText.exitCode).toBe(0);
    const dryJson = run("run", "-c", "site.yml", "--dry-run", "--log-format", "json");
    const applied = run("run", "-c", "site.yml", "--raw", "--log-level", "debug", "--capture-full-output", "--facts-json", "facts.json");
    expect(applied.stderr).toBe("");
    expect(applied.exitCode).toBe(0);
    const again = run("run", "-c", "site.yml", "--log-format", "json", "--capture-full-output");
    const plain = run("run", "-c", "site.yml");
    // explain shows the steps as the plan has them (like plan), with a dry-run's verdicts and the last run's outcomes.
    for (const format of ["text", "json"]) {
      const explained = run("explain", "-c", "site.yml", "--format", format);
      expect(explained.exitCode).toBe(0);
      Object.assign(plans, outputsOf(`explain --format ${format}`, explained));
    }
    expect(leaks(plans, [...Object.values(SECRET), ...Object.values(DERIVED)])).toEqual({});
    Object.assign(outputs, outputsOf("dry-run --raw", dryText), outputsOf("dry-run json", dryJson), outputsOf("run --raw", applied),
      outputsOf("run json", again), outputsOf("run", plain));
    for (const file of filesBelow(join(tmp.dir, ".mooncake"))) outputs[file.path] = file.text;
    outputs["facts.json"] = readFileSync(tmp.path("facts.json"), "utf8");

    expect(leaks(outputs)).toEqual({});
    // The secrets were used, not blanked: the steps wrote what the templates made of them.
    expect(readFileSync(tmp.path("app.conf"), "utf8")).toBe(`password=${DERIVED.upper}\nplain=line\n`);
    expect(readFileSync(tmp.path("copied.txt"), "utf8")).toBe(`token=${DERIVED.b64}\n`);
    expect(readFileSync(tmp.path("concatenated.txt"), "utf8")).toBe(`${DERIVED.concatenated}\n`);
    expect(readFileSync(tmp.path("vault.txt"), "utf8")).toBe(`${SECRET.secretVarsFile}\n`);
    expect(readFileSync(tmp.path("dsn.txt"), "utf8")).toBe(`${DERIVED.derivedVar}\n`);
    expect(readFileSync(tmp.path("registered.txt"), "utf8")).toBe(`${DERIVED.registeredUpper}\n`);
    expect(readFileSync(tmp.path("hidden.conf"), "utf8")).toBe(`body=${NO_LOG.templateContent}\n`);
    expect(readFileSync(tmp.path("hidden_seen.txt"), "utf8")).toBe(`${NO_LOG.shellOutput}\n`);
    // The dry-run still shows the diffs, with the secret parts hidden.
    expect(dryText.stdout).toContain("+password=********");
    expect(dryText.stdout).toContain("+plain=line");
  }, 60_000);

  test("a no_log step still reports its status, whether it changed, and its error kind", () => {
    const tmp = site();
    const result = runBinary(["run", "-c", "site.yml", "--log-format", "json", ...INPUTS], { cwd: tmp.dir });
    expect(result.exitCode).toBe(0);
    const finished = new Map(jsonEvents(result.stdout).filter((e) => e.type === "step.finished").map((e) => [e.data.name, e.data]));
    expect(finished.get("hidden shell")).toMatchObject({ status: "changed", changed: true, no_log: true });
    expect(finished.get("hidden template")).toMatchObject({ status: "changed", changed: true, no_log: true });
    expect(finished.get("hidden failure")).toMatchObject({ status: "failed", ignored: true, error: { kind: "exit_code" }, no_log: true });
    expect(finished.get("hidden failure")!.result.rc).toBe(3);
    const outputEvents = jsonEvents(result.stdout).filter((e) => e.type === "step.stdout" || e.type === "step.stderr");
    const hiddenIds = new Set(jsonEvents(result.stdout).filter((e) => e.type === "step.finished" && e.data.no_log).map((e) => e.step_id));
    expect(outputEvents.filter((e) => hiddenIds.has(e.step_id))).toEqual([]);
  });
});

describe("the secrets key", () => {
  test("a name no source defines or registers is a warning, not an error", () => {
    const tmp = sandbox({ "site.yml": "secrets: [db_pasword]\nvars: { db_password: x }\nsteps:\n  - print: hi\n" });
    const result = runBinary(["plan", "-c", "site.yml"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('Secret "db_pasword" is not defined');
  });

  test("a saved plan holds no secret value, and run --from-plan asks for it with --secret-vars", () => {
    const tmp = sandbox({
      "site.yml": `secrets: [token]\nvars: { token: ${SECRET.configVar} }\nsteps:\n  - shell: 'echo "{{ token | upper }}" > out.txt'\n`,
      "vault.yml": `token: ${SECRET.configVar}\n`,
    });
    expect(runBinary(["plan", "-c", "site.yml", "--output", "plan.json"], { cwd: tmp.dir }).exitCode).toBe(0);
    expect(readFileSync(tmp.path("plan.json"), "utf8")).not.toContain(SECRET.configVar);
    const without = runBinary(["run", "--from-plan", "plan.json"], { cwd: tmp.dir });
    expect(without.exitCode).toBe(2);
    expect(without.stderr).toContain('secret "token"');
    const given = runBinary(["run", "--from-plan", "plan.json", "--secret-vars", "vault.yml"], { cwd: tmp.dir });
    expect(given.exitCode).toBe(0);
    expect(readFileSync(tmp.path("out.txt"), "utf8")).toBe(`${DERIVED.upper}\n`);
    expect(leaks(outputsOf("from-plan", given))).toEqual({});
  });
});

test("a --secret-vars value transformed by a template (upper, b64encode, a prefix) is hidden in a dry-run's output and diffs", () => {
  const tmp = sandbox({
    "vault.yml": `token: ${SECRET.secretVarsFile}\n`,
    "site.yml": [
      "- print: \"{{ token | upper }}\"",
      "- file: { path: copied.txt, content: \"{{ token | b64encode }}\\n\" }",
      "- file: { path: prefix.txt, content: \"{{ token | split('-a8') | first }}\\n\" }",
      "",
    ].join("\n"),
  });
  const result = runBinary(["run", "-c", "site.yml", "--secret-vars", "vault.yml", "--dry-run", "--raw"], { cwd: tmp.dir });
  expect(result.exitCode).toBe(0);
  const transformed = [SECRET.secretVarsFile.toUpperCase(), Buffer.from(SECRET.secretVarsFile).toString("base64"), "secretfile-sentinel"];
  expect(transformed.filter((t) => result.stdout.includes(t))).toEqual([]);
  expect(result.stdout).toContain("+********");
});

test("the items of a loop over a secret list are secret, and so is what templates make of them", () => {
  const tmp = sandbox({
    "site.yml": "secrets: [keys]\nvars: { keys: [first-key-9a1, second-key-4b2] }\nsteps:\n  - print: \"key {{ item | upper }}\"\n    with_items: \"{{ keys }}\"\n",
  });
  const result = runBinary(["run", "-c", "site.yml", "--log-format", "json"], { cwd: tmp.dir });
  expect(result.exitCode).toBe(0);
  const messages = jsonEvents(result.stdout).filter((e) => e.type === "step.finished").map((e) => e.data.change?.message);
  expect(messages).toEqual(["********", "********"]);
  expect(["first-key", "second-key", "FIRST-KEY", "SECOND-KEY"].filter((t) => result.stdout.includes(t))).toEqual([]);
});
