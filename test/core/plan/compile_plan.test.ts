import { ACTIONS } from "../../../actions/registry.ts";
import { afterEach, describe, expect, test } from "bun:test";
import { formatDiagnostic } from "../../../core/config/diagnostics.ts";
import { compilePlan, type CompileOptions } from "../../../core/plan/compile_plan.ts";
import type { Plan } from "../../../core/plan/plan.ts";
import { FIXED_FACTS } from "../../helpers/fixed_facts.ts";
import { tempDir } from "../../helpers/temp_dir.ts";

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const remove of cleanup) remove();
  cleanup = [];
});

/** Compiles `site.yml` written with `files` into a temp dir; fails the test on any diagnostic. */
function plan(files: Record<string, string>, options: Partial<CompileOptions> = {}): Plan {
  const result = compile(files, options);
  expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
  return result.plan!;
}

function compile(files: Record<string, string>, options: Partial<CompileOptions> = {}) {
  const tmp = tempDir(files);
  cleanup.push(tmp.remove);
  return { ...compilePlan({ configPath: tmp.path("site.yml"), actions: ACTIONS, facts: FIXED_FACTS, ...options }), dir: tmp.dir };
}

function messages(files: Record<string, string>, options: Partial<CompileOptions> = {}): string[] {
  return compile(files, options).diagnostics.map((d) => d.message);
}

describe("document shapes", () => {
  test("a bare list of steps and a {version, vars, steps} mapping both compile", () => {
    const list = plan({ "site.yml": "- print: hi\n- shell: echo {{ os }}\n" });
    expect(list.steps.map((s) => [s.id, s.action, s.args])).toEqual([
      ["step-0001", "print", "hi"],
      ["step-0002", "shell", "echo linux"],
    ]);
    const mapping = plan({ "site.yml": 'version: "1"\nname: x\ndescription: y\nvars: {who: me}\nsteps:\n  - print: "hi {{ who }}"\n' });
    expect(mapping.steps[0]!.args).toBe("hi me");
  });
});

describe("ids and loops", () => {
  test("with_items over a YAML list expands into item steps with loop variables", () => {
    const p = plan({ "site.yml": "- print: start\n- name: 'pkg {{ item }}'\n  shell: 'install {{ item }} {{ index }} {{ first }} {{ last }}'\n  with_items: [git, curl]\n- print: end\n" });
    expect(p.steps.map((s) => s.id)).toEqual(["step-0001", "step-0002[0]", "step-0002[1]", "step-0003"]);
    expect(p.steps[1]!.name).toBe("pkg git");
    expect(p.steps[1]!.args).toBe("install git 0 true false");
    expect(p.steps[2]!.args).toBe("install curl 1 false true");
    expect(p.steps[2]!.loop).toEqual({ item: "curl", index: 1, first: false, last: true });
  });

  test("with_items takes a variable name, an expression, or one {{ }} tag whose list stays a list", () => {
    const vars = "vars:\n  pkgs: [a, b]\n  nested: [[1, 2], [3]]\nsteps:\n";
    const byName = plan({ "site.yml": `${vars}  - print: "{{ item }}"\n    with_items: pkgs\n` });
    expect(byName.steps.map((s) => s.args)).toEqual(["a", "b"]);
    const byTag = plan({ "site.yml": `${vars}  - print: "{{ item | length }}"\n    with_items: "{{ nested }}"\n` });
    expect(byTag.steps.map((s) => s.loop!.item)).toEqual([[1, 2], [3]]);
    expect(byTag.steps.map((s) => s.args)).toEqual(["2", "1"]);
    const byExpression = plan({ "site.yml": `${vars}  - print: "{{ item }}"\n    with_items: "split('x,y,z', ',')"\n` });
    expect(byExpression.steps.map((s) => s.args)).toEqual(["x", "y", "z"]);
  });

  test("a loop over a registered result stays one deferred step with its templates kept", () => {
    const p = plan({ "site.yml": "- shell: ls\n  register: listing\n- name: 'see {{ item }}'\n  print: '{{ item }} of {{ os }}'\n  with_items: '{{ listing.stdout_lines }}'\n" });
    expect(p.steps).toHaveLength(2);
    expect(p.steps[1]).toMatchObject({ id: "step-0002", name: "see {{ item }}", args: "{{ item }} of {{ os }}", deferred_with_items: "listing.stdout_lines" });
  });

  test("a field that reads a registered result keeps its template; other fields are rendered", () => {
    const p = plan({ "site.yml": "- shell: id -u\n  register: uid\n- shell: 'echo {{ uid.stdout }} on {{ hostname }}'\n  cwd: '/tmp/{{ username }}'\n" });
    expect(p.steps[1]!.args).toBe("echo {{ uid.stdout }} on {{ hostname }}");
    expect(p.steps[1]!.cwd).toBe("/tmp/tester");
  });

  test("a with_items value that is not a list is an error at its position", () => {
    const { diagnostics } = compile({ "site.yml": "- vars: {n: 3}\n- print: x\n  with_items: n\n" });
    expect(diagnostics.map(formatDiagnostic)[0]).toMatch(/site\.yml:3:15: error: with_items must be a list, got a number \(3\)$/);
  });

  test("an empty loop list leaves one step marked skipped", () => {
    const p = plan({ "site.yml": "- print: x\n  with_items: []\n" });
    expect(p.steps).toEqual([expect.objectContaining({ id: "step-0001", skipped: { reason: "empty_loop", message: "the loop list is empty" } })]);
  });

  test("with_filetree walks in lexicographic order and gives both naming styles", () => {
    const p = plan({
      "site.yml": "- print: '{{ item.path }}'\n  with_filetree: tree\n",
      "tree/b.txt": "bb",
      "tree/a/z.txt": "z",
      "tree/a-b.txt": "ab",
    });
    expect(p.steps.map((s) => s.args)).toEqual(["a", "a-b.txt", "a/z.txt", "b.txt"]);
    const item = p.steps[3]!.loop!.item as Record<string, unknown>;
    expect(item).toMatchObject({ path: "b.txt", name: "b.txt", is_dir: false, size: 2, Path: "/b.txt", Name: "b.txt", IsDir: false, State: "file" });
    expect(String(item.src)).toEndWith("/tree/b.txt");
    expect(item.Src).toBe(item.src);
    expect((p.steps[0]!.loop!.item as Record<string, unknown>).State).toBe("directory");
  });

  test("with_filetree naming a registered value is refused at plan time: the tree must be known when the plan is built", () => {
    expect(messages({ "site.yml": "- shell: echo tree\n  register: out\n- print: x\n  with_filetree: '{{ out.stdout }}'\n" })).toEqual([
      'with_filetree: "{{ out.stdout }}" is only known at run time (registered, or secret); the directory must be known when the plan is built',
    ]);
  });

  test("with_filetree on a missing directory is an error", () => {
    expect(messages({ "site.yml": "- print: x\n  with_filetree: nope\n" })[0]).toMatch(/^with_filetree: cannot read directory ".*nope": no such file$/);
  });
});

describe("variables", () => {
  const layered = {
    "site.yml": [
      "vars: {a: config, b: config, c: config, d: config, os: mine}",
      "steps:",
      "  - include_vars: more.yml",
      "  - print: '{{ a }} {{ b }} {{ c }} {{ d }} {{ os }}'",
    ].join("\n"),
    "more.yml": "b: included\nc: included\nd: included\n",
    "cli.yml": "c: clifile\nd: clifile\n",
  };

  test("precedence is facts < config vars < include_vars < --vars < --var", () => {
    const p = plan(layered, { varAssignments: ["d=flag"] });
    expect(p.steps[0]!.args).toBe("config included included flag mine");
  });

  test("--vars files override include_vars and --var overrides --vars", () => {
    const tmp = tempDir(layered);
    cleanup.push(tmp.remove);
    const result = compilePlan({ configPath: tmp.path("site.yml"), actions: ACTIONS, facts: FIXED_FACTS, varsFiles: [tmp.path("cli.yml")], varAssignments: ["d=flag"] });
    expect(result.plan!.steps[0]!.args).toBe("config included clifile flag mine");
  });

  test("loop variables win over every other layer", () => {
    const p = plan({ "site.yml": "vars: {item: config}\nsteps:\n  - print: '{{ item }}'\n    with_items: [loop]\n" }, { varAssignments: ["item=cli"] });
    expect(p.steps[0]!.args).toBe("loop");
  });

  test("--var values are read as YAML scalars", () => {
    const p = plan({ "site.yml": "- print: '{{ port + 1 }} {{ debug }} {{ name }}'\n" }, { varAssignments: ["port=8080", "debug=true", "name=web one"] });
    expect(p.steps[0]!.args).toBe("8081 true web one");
  });

  test("a vars step applies to the steps after it, rendered once against what is known there", () => {
    const p = plan({ "site.yml": "- vars: {x: 1}\n- print: '{{ x }}'\n- vars: {x: 2, y: '{{ x }}-{{ os }}'}\n- print: '{{ x }} {{ y }}'\n" });
    // y reads the x of its own block: a block's values are set in dependency order.
    expect(p.steps.map((s) => s.args)).toEqual(["1", "2 2-linux"]);
    expect(p.initial_vars).toEqual({ x: 2, y: "2-linux" });
  });

  test("a vars step with a false when is ignored", () => {
    const p = plan({ "site.yml": "- vars: {x: 1}\n- vars: {x: 2}\n  when: os == 'darwin'\n- print: '{{ x }}'\n" });
    expect(p.steps[0]!.args).toBe("1");
  });

  test("an undefined variable names the variable and the step; default() is exempt", () => {
    const { diagnostics } = compile({ "site.yml": "- name: Greet\n  print: 'hi {{ nobody }}'\n- print: \"{{ nobody | default('x') }}\"\n" });
    expect(diagnostics.map(formatDiagnostic)).toEqual([expect.stringMatching(/site\.yml:2:10: error: Undefined variable "nobody" in step "Greet": define it \(vars, --var\) or, where it may be unset, write \{\{ nobody \| default\(""\) \}\}$/)]);
  });

  test("an undefined variable in when is reported at plan time unless it is registered", () => {
    expect(messages({ "site.yml": "- print: x\n  when: nope == 1\n" })).toEqual(['Undefined variable "nope" in a print step: define it (vars, --var) or, where it may be unset, write default(nope, false)']);
    expect(messages({ "site.yml": "- shell: x\n  register: r\n- print: x\n  when: r.rc == 0\n" })).toEqual([]);
  });

  test("every problem on one line is reported, and a bad template in an include_vars file once, at its position", () => {
    const { diagnostics } = compile({
      "site.yml": "- include_vars: more.yml\n- print: '{{ greeting }}'\n  tags: ['two words', '']\n",
      "more.yml": "greeting: 'hi {{ who'\n",
    });
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      expect.stringMatching(/site\.yml:3:10: error: tags: "two words" is not valid/),
      expect.stringMatching(/site\.yml:3:23: error: tags: "" is not valid/),
      expect.stringMatching(/more\.yml:1:15: error: Template error in "include_vars\.greeting": Tag is not closed/),
    ]);
  });

  test("a malformed --var is an error", () => {
    expect(messages({ "site.yml": "- print: x\n" }, { varAssignments: ["no-equals"] })[0]).toMatch(/^Invalid --var "no-equals"/);
  });
});

describe("includes", () => {
  test("includes are relative to the including file, push down when, tags and become, and record the stack", () => {
    const p = plan({
      "site.yml": "- print: top\n- include: roles/web.yml\n  when: os == 'linux'\n  tags: [web]\n  become: true\n",
      "roles/web.yml": "- include: nginx.yml\n",
      "roles/nginx.yml": "- name: nginx\n  shell: install nginx\n  when: cpu_cores > 1\n  tags: [nginx]\n",
    });
    expect(p.steps).toHaveLength(2);
    const step = p.steps[1]!;
    expect(step).toMatchObject({ id: "step-0002", when: "(os == 'linux') and (cpu_cores > 1)", tags: ["web", "nginx"], become: true });
    expect(step.origin).toEqual({
      file: expect.stringMatching(/roles\/nginx\.yml$/), line: 1, col: 3,
      include_stack: [
        { file: expect.stringMatching(/site\.yml$/), line: 2, col: 3 },
        { file: expect.stringMatching(/roles\/web\.yml$/), line: 1, col: 3 },
      ],
    });
  });

  test("an include cycle is an error showing the chain", () => {
    const result = compile({ "site.yml": "- include: a.yml\n", "a.yml": "- include: b.yml\n", "b.yml": "- include: a.yml\n" });
    expect(result.diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(/^Include cycle: .*site\.yml -> .*a\.yml -> .*b\.yml -> .*a\.yml$/)]);
    expect(result.diagnostics[0]!.includeChain!.map((f) => f.replace(/.*\//, ""))).toEqual(["site.yml", "a.yml"]);
  });

  test("diagnostics in an included file carry the include chain", () => {
    const result = compile({ "site.yml": "- include: roles/web.yml\n", "roles/web.yml": "- include: nginx.yml\n", "roles/nginx.yml": "- print: ok\n- shell: x\n  timeout: forever\n" });
    const line = formatDiagnostic(result.diagnostics[0]!);
    expect(line).toMatch(/site\.yml -> .*roles\/web\.yml -> .*roles\/nginx\.yml:3:12: error: timeout: "forever" is not valid/);
  });

  test("a missing included file is reported at the include step", () => {
    const result = compile({ "site.yml": "- print: x\n- include: nope.yml\n" });
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([expect.stringMatching(/site\.yml:2:12: error: Included file: Cannot read ".*nope\.yml": no such file$/)]);
  });
});

describe("tags", () => {
  const files = { "site.yml": "- print: a\n  tags: [web]\n- print: b\n  tags: [db]\n- print: c\n- print: d\n  tags: [always]\n" };

  test("ids are assigned before tag filtering and unselected steps are marked skipped", () => {
    const all = plan(files);
    const web = plan(files, { tags: ["web"] });
    expect(web.steps.map((s) => s.id)).toEqual(all.steps.map((s) => s.id));
    expect(web.steps.map((s) => s.skipped?.reason ?? "run")).toEqual(["run", "tags", "tags", "run"]);
    expect(web.steps[1]!.skipped!.message).toBe("not tagged web");
    expect(all.steps.every((s) => !s.skipped)).toBe(true);
  });
});

describe("plan output", () => {
  test("two compiles of the same inputs are identical apart from generated_at", () => {
    const files = { "site.yml": "- print: '{{ item }}'\n  with_items: [a, b]\n- include: x.yml\n", "x.yml": "- shell: echo {{ hostname }}\n" };
    const first = compile(files, { now: new Date(0) });
    const second = compilePlan({ configPath: `${first.dir}/site.yml`, actions: ACTIONS, facts: FIXED_FACTS, now: new Date(1000) });
    const strip = (p: Plan) => JSON.stringify({ ...p, generated_at: "" });
    expect(strip(second.plan!)).toBe(strip(first.plan!));
    expect(second.plan!.generated_at).not.toBe(first.plan!.generated_at);
    expect(first.plan!.sources.map((s) => s.sha256)).toHaveLength(2);
  });

  test("action path fields and cwd are resolved against the declaring file's directory", () => {
    const { plan: p, dir } = compile({ "site.yml": "- include: sub/x.yml\n", "sub/x.yml": "- template: {src: t.mustache, dest: /etc/x}\n  cwd: work\n" });
    expect(p!.steps[0]!.args).toEqual({ src: `${dir}/sub/t.mustache`, dest: "/etc/x" });
    expect(p!.steps[0]!.cwd).toBe(`${dir}/sub/work`);
  });

  test("an action the platform lacks, and become on windows, fail at plan time", () => {
    const windows = { ...FIXED_FACTS, os: "windows" };
    expect(messages({ "site.yml": "- service: {name: nginx}\n- shell: x\n  become: true\n" }, { facts: windows })).toEqual([
      'The service action is not supported on windows (supported: linux); guard the step with `when: os == "linux"` or remove it',
      "become is not supported on windows: run mooncake from an elevated shell instead",
    ]);
  });

  test("an unsupported action whose when is false at plan time plans fine; one decided at run time does not", () => {
    const darwin = { ...FIXED_FACTS, os: "darwin", linux: false, darwin: true, macos: true };
    const config = [
      "- systemd: {name: nginx}\n  when: os == 'linux'",
      "- include: linux.yml\n  when: linux",
      "- shell: uname\n  register: r",
      "- systemd: {name: nginx}\n  when: r.rc == 0",
      "",
    ].join("\n");
    expect(messages({ "site.yml": config, "linux.yml": "- systemd: {name: cron}\n" }, { facts: darwin })).toEqual([
      'The systemd action is not supported on darwin (supported: linux); guard the step with `when: os == "linux"` or remove it',
    ]);
  });

  test("steps written in flow style still get their origin from the syntax tree", () => {
    const p = plan({ "site.yml": "steps: [{print: a},\n  {print: b}]\n" });
    expect(p.steps.map((s) => [s.origin.line, s.origin.col])).toEqual([[1, 9], [2, 3]]);
  });

  test("a step without a name gets one from its action", () => {
    const p = plan({ "site.yml": "- shell: apt-get update\n- command: {argv: [ls, -l]}\n- file: {path: /tmp/x}\n" });
    expect(p.steps.map((s) => s.name)).toEqual(["shell: apt-get update", "command: ls -l", "file"]);
  });
});
