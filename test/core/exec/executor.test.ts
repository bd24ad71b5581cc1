import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { runConfig } from "../../helpers/run_config.ts";
import { sandbox } from "../../helpers/converge.ts";

/** A temporary directory holding site.yml and `files`, removed after the test. */
function site(yaml: string, files: Record<string, string> = {}) {
  return sandbox({ "site.yml": yaml, ...files });
}

describe("step status and when", () => {
  test("a command that ran is changed, a false when is skipped with its reason, print is ok", async () => {
    const tmp = site(`
- shell: echo hi
- name: never
  shell: echo never
  when: os == "windows"
- print: "hello {{ os }}"
`);
    const { finished, result } = await runConfig(tmp.path("site.yml"));
    expect(finished.get("step-0001")!.status).toBe("changed");
    expect(finished.get("step-0002")!.status).toBe("skipped");
    expect(finished.get("step-0002")!.skipped).toEqual({ reason: "when", message: 'when: os == "windows" is false' });
    expect(finished.get("step-0003")!.status).toBe("ok");
    expect(finished.get("step-0003")!.change?.message).toBe("hello linux");
    expect(result).toEqual({ status: "ok", counts: { ok: 1, changed: 1, skipped: 1, failed: 0, ignored: 0 }, failedSteps: [] });
  });

  test("each finished step carries start, end and duration", async () => {
    const tmp = site("- shell: sleep 0.05\n");
    const { finished } = await runConfig(tmp.path("site.yml"));
    const step = finished.get("step-0001")!;
    expect(Date.parse(step.ended_at) - Date.parse(step.started_at)).toBeGreaterThanOrEqual(40);
    expect(step.duration_ms).toBeGreaterThanOrEqual(40);
  });

  test("when is evaluated at run time against registered values", async () => {
    const tmp = site(`
- shell: echo yes
  register: probe
- name: runs
  print: seen
  when: '"yes" in probe.stdout'
- name: skipped
  print: not seen
  when: probe.rc != 0
`);
    const { finished } = await runConfig(tmp.path("site.yml"));
    expect(finished.get("step-0002")!.status).toBe("ok");
    expect(finished.get("step-0003")!.status).toBe("skipped");
  });
});

describe("register", () => {
  test("stores rc, output, lines, verdict and duration for later templates and expressions", async () => {
    const tmp = site(`
- shell: printf 'one\\ntwo\\n'; echo oops >&2; exit 0
  register: out
- print: "{{ out.stdout_lines.1 }}|{{ out.rc }}|{{ out.status }}|{{ out.changed }}"
`);
    const { events, finished } = await runConfig(tmp.path("site.yml"));
    const result = finished.get("step-0001")!.result;
    expect(result).toMatchObject({ rc: 0, stdout: "one\ntwo\n", stderr: "oops\n", changed: true, failed: false, skipped: false, status: "changed" });
    expect(typeof result.duration_ms).toBe("number");
    expect(finished.get("step-0002")!.change?.message).toBe("two|0|changed|true");
    const lines = events.filter((e) => e.type === "step.stdout").map((e) => e.type === "step.stdout" && [e.step_id, e.data.lines, e.data.first_line]);
    expect(lines).toEqual([["step-0001", ["one", "two"], 1]]);
  });

  test("a deferred with_items expands over a registered list at run time", async () => {
    const tmp = site(`
- shell: printf 'a\\nb\\nc\\n'
  register: listing
- name: "item {{ item }}"
  print: "{{ index }}:{{ item }}"
  with_items: listing.stdout_lines
`);
    const { plan, finished } = await runConfig(tmp.path("site.yml"));
    expect(plan.steps[1]!.deferred_with_items).toBe("listing.stdout_lines");
    expect([...finished.keys()]).toEqual(["step-0001", "step-0002[0]", "step-0002[1]", "step-0002[2]"]);
    expect(finished.get("step-0002[2]")!.change?.message).toBe("2:c");
    expect(finished.get("step-0002[1]")!.name).toBe("item b");
  });

  test("a skipped step registers skipped with a null rc", async () => {
    const tmp = site(`
- shell: echo x
  when: "false"
  register: maybe
- print: "{{ maybe.skipped }} {{ maybe.rc | default('none') }}"
`);
    const { finished } = await runConfig(tmp.path("site.yml"));
    expect(finished.get("step-0002")!.change?.message).toBe("true none");
  });
});

describe("changed_when and failed_when", () => {
  test("override the action's verdict and see the step's result", async () => {
    const tmp = site(`
- shell: echo same
  changed_when: '"different" in result.stdout'
- shell: exit 3
  failed_when: result.rc not in (0, 3)
- shell: echo ERROR
  failed_when: '"ERROR" in result.stdout'
`);
    const { finished, result } = await runConfig(tmp.path("site.yml"));
    expect(finished.get("step-0001")!.status).toBe("ok");
    expect(finished.get("step-0002")!.status).toBe("changed");
    expect(finished.get("step-0003")!.status).toBe("failed");
    expect(finished.get("step-0003")!.error).toEqual({ kind: "failed_when", message: `failed_when ""ERROR" in result.stdout" is true` });
    expect(result.status).toBe("failed");
  });
});

describe("failures", () => {
  test("a failing step stops the run; later steps never start", async () => {
    const tmp = site(`
- shell: echo before
- shell: echo boom >&2; exit 4
- shell: touch after
`);
    const { finished, result, events } = await runConfig(tmp.path("site.yml"));
    expect(finished.get("step-0002")!.error).toEqual({ kind: "exit_code", message: "Command exited with code 4: boom" });
    expect(finished.has("step-0003")).toBe(false);
    expect(existsSync(tmp.path("after"))).toBe(false);
    expect(result).toMatchObject({ status: "failed", failedSteps: ["step-0002"] });
    expect(events.at(-1)!.type).toBe("run.finished");
  });

  test("ignore_errors lets the run go on and counts the failure as ignored", async () => {
    const tmp = site(`
- shell: exit 1
  ignore_errors: true
- shell: touch after
`, {});
    const { finished, result } = await runConfig(tmp.path("site.yml"));
    expect(finished.get("step-0001")).toMatchObject({ status: "failed", ignored: true });
    expect(existsSync(tmp.path("after"))).toBe(true);
    expect(result).toEqual({ status: "ok", counts: { ok: 0, changed: 1, skipped: 0, failed: 1, ignored: 1 }, failedSteps: [] });
  });

  test("a missing program is command_not_found; an undefined runtime variable fails as a template error", async () => {
    const tmp = site(`
- command: { argv: [mooncake-no-such-program] }
  ignore_errors: true
- shell: exit 0
  register: r
- print: "{{ r.nope.deeper }}"
`);
    const { finished } = await runConfig(tmp.path("site.yml"));
    expect(finished.get("step-0001")!.error).toEqual({ kind: "command_not_found", message: 'Command not found: "mooncake-no-such-program"' });
    expect(finished.get("step-0003")!.error?.kind).toBe("template");
  });
});

describe("retries", () => {
  test("retry a failed step only, each attempt visible as an event", async () => {
    const tmp = site(`
- shell: |
    n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count
    [ $n -ge 3 ]
  retries: 4
  retry_delay: 10ms
- shell: echo once >> once
  retries: 3
`);
    const { finished, events } = await runConfig(tmp.path("site.yml"));
    expect(readFileSync(tmp.path("count"), "utf8").trim()).toBe("3");
    expect(finished.get("step-0001")).toMatchObject({ status: "changed", attempts: 3 });
    const retries = events.filter((e) => e.type === "step.retry").map((e) => e.type === "step.retry" && [e.data.attempt, e.data.max_attempts, e.data.delay_ms]);
    expect(retries).toEqual([[1, 5, 10], [2, 5, 10]]);
    expect(readFileSync(tmp.path("once"), "utf8")).toBe("once\n");
  });

  test("a step that keeps failing fails after its last attempt", async () => {
    const tmp = site("- shell: echo x >> tries; exit 1\n  retries: 2\n");
    const { finished } = await runConfig(tmp.path("site.yml"));
    expect(finished.get("step-0001")).toMatchObject({ status: "failed", attempts: 3 });
    expect(readFileSync(tmp.path("tries"), "utf8")).toBe("x\nx\nx\n");
  });
});

describe("timeout", () => {
  test("kills the whole process group of the step and fails it as a timeout", async () => {
    const tmp = site(`
- shell: |
    sleep 30 &
    echo $! > child.pid
    sleep 30
  timeout: 300ms
`);
    const { finished } = await runConfig(tmp.path("site.yml"));
    expect(finished.get("step-0001")!.error).toEqual({ kind: "timeout", message: "Timed out after 300ms: the step's processes were stopped" });
    const child = Number(readFileSync(tmp.path("child.pid"), "utf8"));
    await Bun.sleep(100);
    expect(processAlive(child)).toBe(false);
  });
});

describe("env, cwd, creates, unless", () => {
  test("env and cwd apply to the step; a relative cwd is resolved against the config's directory", async () => {
    const tmp = site(`
- shell: echo "$GREETING from $(pwd)" > out.txt
  env: { GREETING: "hi {{ os }}" }
  cwd: work
`, { "work/.keep": "" });
    await runConfig(tmp.path("site.yml"));
    expect(readFileSync(tmp.path("work/out.txt"), "utf8")).toBe(`hi linux from ${tmp.path("work")}\n`);
  });

  test("creates skips (ok) when the path exists; unless skips when its command succeeds", async () => {
    const tmp = site(`
- shell: touch made
  creates: made
- shell: echo ran >> log
  unless: test -f made
- shell: echo ran >> log
  unless: test -f absent
`);
    const first = await runConfig(tmp.path("site.yml"));
    expect(first.finished.get("step-0001")!.status).toBe("changed");
    expect(first.finished.get("step-0002")!.status).toBe("ok");
    expect(first.finished.get("step-0002")!.change).toEqual({ kind: "none", reason: 'unless: "test -f made" exited 0' });
    expect(first.finished.get("step-0003")!.change?.reason).toBe('unless: "test -f absent" exited 1');
    const second = await runConfig(tmp.path("site.yml"));
    expect(second.finished.get("step-0001")!.change).toEqual({ kind: "none", reason: `creates: "${tmp.path("made")}" exists` });
    expect(readFileSync(tmp.path("log"), "utf8")).toBe("ran\nran\n");
  });

  test("a cwd that does not exist fails the step as a validation error", async () => {
    const tmp = site("- shell: 'true'\n  cwd: missing-dir\n");
    const { finished } = await runConfig(tmp.path("site.yml"));
    expect(finished.get("step-0001")!.error).toEqual({ kind: "validation", message: `Working directory "${tmp.path("missing-dir")}" does not exist` });
  });

  test("stdin is written to the process; command passes argv without a shell", async () => {
    const tmp = site(`
- shell: { cmd: "cat > from-stdin", stdin: "fed {{ os }}" }
- command: { argv: [sh, -c, 'printf "%s" "$1" > argv-out', sh, "a b; echo not-run"] }
`);
    await runConfig(tmp.path("site.yml"));
    expect(readFileSync(tmp.path("from-stdin"), "utf8")).toBe("fed linux");
    expect(readFileSync(tmp.path("argv-out"), "utf8")).toBe("a b; echo not-run");
  });
});

describe("dry-run", () => {
  test("runs check only: nothing is written, commands are shown with the reason, ids match a run", async () => {
    const tmp = site(`
- shell: touch created-by-shell
- command: { argv: [touch, created-by-command] }
  creates: already
- shell: echo x
  unless: "false"
`, { already: "" });
    const before = readdirSync(tmp.dir).sort();
    const dry = await runConfig(tmp.path("site.yml"), { dryRun: true });
    expect(readdirSync(tmp.dir).sort()).toEqual(before);
    expect(dry.finished.get("step-0001")).toMatchObject({ status: "changed", dry_run: true, change: { kind: "run", reason: "a command always runs", detail: "bash -c 'touch created-by-shell'" } });
    expect(dry.finished.get("step-0002")).toMatchObject({ status: "ok", change: { kind: "none", reason: `creates: "${tmp.path("already")}" exists` } });
    expect(dry.finished.get("step-0003")!.change?.reason).toBe('unless: "false" exited 1');
    const real = await runConfig(tmp.path("site.yml"));
    expect([...real.finished.keys()]).toEqual([...dry.finished.keys()]);
    expect(existsSync(tmp.path("created-by-shell"))).toBe(true);
  });
});

describe("interruption", () => {
  test("an abort stops the running step's processes and finishes the run as interrupted", async () => {
    const tmp = site("- shell: sleep 30\n- shell: touch after\n");
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const { result, finished, events } = await runConfig(tmp.path("site.yml"), { signal: controller.signal });
    expect(result.status).toBe("interrupted");
    expect(finished.get("step-0001")!.error?.kind).toBe("interrupted");
    expect(finished.has("step-0002")).toBe(false);
    const last = events.at(-1)!;
    expect(last.type === "run.finished" && last.data.status).toBe("interrupted");
  });
});

/** Whether a process still runs; a zombie waiting for a parent that will not reap it is gone. */
function processAlive(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0];
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}
