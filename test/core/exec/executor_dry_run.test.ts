import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { runConfig } from "../../helpers/run_config.ts";
import { sandbox } from "../../helpers/converge.ts";

/** A temporary directory holding site.yml and `files`, removed after the test. */
function site(yaml: string, files: Record<string, string> = {}) {
  return sandbox({ "site.yml": yaml, ...files });
}

describe("dry-run: inputs an earlier step creates", () => {
  test("copy, template, perms, hardlink and unarchive of what earlier file, shell and unarchive steps create would change, with the producing step named", async () => {
    const tmp = site(`
- file: { path: out/dir, state: directory }
- file: { path: out/dir/a.txt, content: hello }
- copy: { src: out/dir/a.txt, dest: out/b.txt }
- template: { src: out/dir/a.txt, dest: out/c.txt }
- file: { path: out/dir/a.txt, state: perms, mode: "0600" }
- file: { path: out/hard, src: out/dir/a.txt, state: hardlink }
- shell: tar czf out/pkg.tgz -C out/dir .
  creates: out/pkg.tgz
- unarchive: { src: out/pkg.tgz, dest: out/unpacked }
- template: { src: out/unpacked/a.txt, dest: out/d.txt }
`);
    const before = readdirSync(tmp.dir);
    const dry = await runConfig(tmp.path("site.yml"), { dryRun: true });
    expect(readdirSync(tmp.dir)).toEqual(before);
    expect(dry.result.status).toBe("ok");
    const reason = (id: string) => dry.finished.get(id)!.change?.reason;
    expect(reason("step-0003")).toBe(`\`${tmp.path("out/dir/a.txt")}\` is created by step-0002`);
    expect(reason("step-0004")).toBe(`\`${tmp.path("out/dir/a.txt")}\` is created by step-0002`);
    expect(reason("step-0005")).toBe(`\`${tmp.path("out/dir/a.txt")}\` is created by step-0002`);
    expect(reason("step-0006")).toBe(`\`${tmp.path("out/dir/a.txt")}\` is created by step-0002`);
    expect(reason("step-0008")).toBe(`\`${tmp.path("out/pkg.tgz")}\` is created by step-0007`);
    // The unarchive's own outcome is unknown, yet what it names as dest counts as created.
    expect(reason("step-0009")).toBe(`\`${tmp.path("out/unpacked/a.txt")}\` is created by step-0008`);
    for (const id of ["step-0003", "step-0004", "step-0005", "step-0006", "step-0008", "step-0009"]) {
      expect(dry.finished.get(id)).toMatchObject({ status: "changed", changed: true, dry_run: true });
      expect(dry.finished.get(id)!.error).toBeUndefined();
    }
    expect(dry.finished.get("step-0003")!.change).toMatchObject({ kind: "update", detail: tmp.path("out/b.txt") });
    expect(dry.result.counts).toMatchObject({ changed: 9, failed: 0 });

    const real = await runConfig(tmp.path("site.yml"));
    expect(real.result.status).toBe("ok");
    expect(readFileSync(tmp.path("out/d.txt"), "utf8")).toBe("hello");
  });

  test("a download's dest counts as created; a parent directory made for a file counts too", async () => {
    const tmp = site(`
- download: { url: "http://127.0.0.1:9/app.tgz", dest: cache/app.tgz }
- unarchive: { src: cache/app.tgz, dest: app }
- file: { path: deep/er/file.txt, content: x }
- file: { path: deep/er, state: perms, mode: "0700" }
`);
    const dry = await runConfig(tmp.path("site.yml"), { dryRun: true });
    expect(dry.result.status).toBe("ok");
    expect(dry.finished.get("step-0002")!.change?.reason).toBe(`\`${tmp.path("cache/app.tgz")}\` is created by step-0001`);
    expect(dry.finished.get("step-0004")!.change?.reason).toBe(`\`${tmp.path("deep/er")}\` is created by step-0003`);
  });

  test("a missing input nothing earlier creates still fails the dry-run; so does a real run of a produced one that is not made", async () => {
    const tmp = site(`
- shell: echo no creates here
- copy: { src: nowhere.txt, dest: out.txt }
`);
    const dry = await runConfig(tmp.path("site.yml"), { dryRun: true });
    expect(dry.result.status).toBe("failed");
    expect(dry.finished.get("step-0002")!.error?.message).toContain(`Cannot copy "${tmp.path("nowhere.txt")}"`);

    const lying = site(`
- shell: "true"
  creates: made.txt
- copy: { src: made.txt, dest: out.txt }
`);
    expect((await runConfig(lying.path("site.yml"), { dryRun: true })).result.status).toBe("ok");
    const real = await runConfig(lying.path("site.yml"));
    expect(real.result.status).toBe("failed");
    expect(real.finished.get("step-0002")!.error?.message).toContain(`Cannot copy "${lying.path("made.txt")}"`);
  });

  test("an assert about a file an earlier step creates is unknown until run, not failed; a real run still judges it", async () => {
    const tmp = site(`
- file: { path: out/ready, content: "yes" }
- assert: { file: { path: out/ready, contains: "yes" } }
- assert: { file: { path: out/never, exists: true } }
`);
    const dry = await runConfig(tmp.path("site.yml"), { dryRun: true });
    expect(dry.finished.get("step-0002")!.skipped).toEqual({ reason: "unknown", message: `unknown until run: \`${tmp.path("out/ready")}\` is created by step-0001` });
    expect(dry.finished.get("step-0003")!.error?.kind).toBe("assertion");
    const real = await runConfig(tmp.path("site.yml"));
    expect(real.finished.get("step-0002")!.status).toBe("ok");
    expect(real.finished.get("step-0003")!.error?.message).toContain(`expected "${tmp.path("out/never")}" to exist`);
  });

  test("in-place edits of a file an earlier step creates, and a patch file one creates, would change", async () => {
    const tmp = site(`
- file: { path: app.conf, content: "port=80\\n" }
- file_replace: { path: app.conf, pattern: "port=80", replace: "port=8080" }
- copy: { src: app.conf, dest: fix.patch }
- file_patch_apply: { path: other.conf, patch_file: fix.patch }
`, { "other.conf": "x\n" });
    const dry = await runConfig(tmp.path("site.yml"), { dryRun: true });
    expect(dry.finished.get("step-0002")).toMatchObject({ status: "changed", change: { reason: `\`${tmp.path("app.conf")}\` is created by step-0001` } });
    expect(dry.finished.get("step-0004")).toMatchObject({ status: "changed", change: { reason: `\`${tmp.path("fix.patch")}\` is created by step-0003` } });
  });

  test("a path an earlier step removes is not counted as created", async () => {
    const tmp = site(`
- file: { path: gone.txt, state: absent }
- copy: { src: gone.txt, dest: out.txt }
`);
    const dry = await runConfig(tmp.path("site.yml"), { dryRun: true });
    expect(dry.result.status).toBe("failed");
  });
});

describe("dry-run: registered results of steps that did not run are unknown", () => {
  const yaml = `
- shell: echo 3
  register: pages
- print: "{{ pages.stdout | trim }} pages written, rc {{ pages.rc }}"
- name: guarded
  shell: echo guarded
  when: pages.rc == 0
  register: guarded
- assert: { expr: 'trim(pages.stdout) == "3"' }
- print: "{{ guarded.changed }}"
- print: "{{ os }}"
  register: known
- print: "known: {{ known.status }}"
`;

  test("text shows (known after run), a when or an assert over them is unknown until run, known values stay known", async () => {
    const tmp = site(yaml);
    const dry = await runConfig(tmp.path("site.yml"), { dryRun: true });
    expect(dry.result.status).toBe("ok");
    expect(dry.finished.get("step-0002")!.change?.message).toBe("(known after run) pages written, rc (known after run)");
    expect(dry.finished.get("step-0003")).toMatchObject({
      status: "skipped",
      skipped: { reason: "unknown", message: "unknown until run: when: pages.rc == 0 reads pages, known after step-0001 runs" },
    });
    expect(dry.finished.get("step-0004")).toMatchObject({
      status: "skipped",
      skipped: { reason: "unknown", message: 'unknown until run: trim(pages.stdout) == "3" reads pages, known after step-0001 runs' },
    });
    expect(dry.finished.get("step-0004")!.error).toBeUndefined();
    // A step whose verdict is unknown registers an unknown value in turn.
    expect(dry.finished.get("step-0005")!.change?.message).toBe("(known after run)");
    expect(dry.finished.get("step-0007")!.change?.message).toBe("known: ok");
    expect(dry.result.counts).toEqual({ ok: 4, changed: 1, skipped: 2, failed: 0, ignored: 0, unknown: 2 });
    expect(dry.finished.get("step-0001")!.known_after_run).toBe(true);
    expect(dry.finished.get("step-0006")!.known_after_run).toBeUndefined();
    const finishedRun = dry.events.at(-1)!;
    expect(finishedRun.type === "run.finished" && finishedRun.data.counts.unknown).toBe(2);

    const real = await runConfig(tmp.path("site.yml"));
    expect(real.finished.get("step-0002")!.change?.message).toBe("3 pages written, rc 0");
    expect(real.finished.get("step-0003")!.status).toBe("changed");
    expect(real.finished.get("step-0004")!.status).toBe("ok");
    expect(real.result.counts.unknown).toBeUndefined();
  });

  test("a loop over an unknown list, and a path from an unknown value, are unknown until run and not checked", async () => {
    const tmp = site(`
- shell: printf 'a\\nb\\n'
  register: listing
- print: "{{ item }}"
  with_items: listing.stdout_lines
- file: { path: "{{ listing.stdout_lines | first }}.txt", state: touch }
- shell: echo {{ listing.stdout }}
`);
    const dry = await runConfig(tmp.path("site.yml"), { dryRun: true });
    expect(dry.result.status).toBe("ok");
    expect(dry.finished.get("step-0002")!.skipped).toEqual({ reason: "unknown", message: "unknown until run: with_items: listing.stdout_lines reads listing, known after step-0001 runs" });
    expect(dry.finished.get("step-0003")!.skipped).toEqual({ reason: "unknown", message: "unknown until run: file.path reads listing, known after step-0001 runs" });
    expect(existsSync(tmp.path("(known after run).txt"))).toBe(false);
    // A command line that shows the unknown value is still a command that would run.
    expect(dry.finished.get("step-0004")).toMatchObject({ status: "changed", change: { kind: "run", detail: "bash -c 'echo (known after run)'" } });
  });

  test("a check that fails on a placeholder is unknown until run, not failed", async () => {
    const tmp = site(`
- shell: echo 0
  register: probe
- assert: { command: { cmd: "test {{ probe.stdout }} -eq 0" } }
`);
    const dry = await runConfig(tmp.path("site.yml"), { dryRun: true });
    expect(dry.result.status).toBe("ok");
    expect(dry.finished.get("step-0002")!.skipped?.reason).toBe("unknown");
    expect(dry.finished.get("step-0002")!.skipped?.message).toStartWith("unknown until run: assert.command.cmd reads probe, known after step-0001 runs");
  });
});

describe("dry_run: run and the dry_run variable", () => {
  test("a dry_run: run step runs in a dry-run, so what it registers is known; dry_run tells templates and conditions", async () => {
    const tmp = site(`
- name: probe
  shell: echo v1.2
  dry_run: run
  register: version
- print: "version {{ version.stdout | trim }}, dry run {{ dry_run }}"
- shell: touch made
  when: not dry_run
`);
    const dry = await runConfig(tmp.path("site.yml"), { dryRun: true });
    expect(dry.finished.get("step-0001")).toMatchObject({ status: "changed", dry_run: false, result: { stdout: "v1.2\n" } });
    expect(dry.finished.get("step-0002")!.change?.message).toBe("version v1.2, dry run true");
    expect(dry.finished.get("step-0003")!.status).toBe("skipped");
    expect(dry.plan.steps[1]!.name).toContain("{{ dry_run }}");

    const real = await runConfig(tmp.path("site.yml"));
    expect(real.finished.get("step-0002")!.change?.message).toBe("version v1.2, dry run false");
    expect(existsSync(tmp.path("made"))).toBe(true);
  });

  test("a dry_run: run step never runs with a placeholder in it: it is unknown until run", async () => {
    const tmp = site(`
- shell: echo target
  register: name
- shell: touch "{{ name.stdout | trim }}.probe"
  dry_run: run
`);
    const dry = await runConfig(tmp.path("site.yml"), { dryRun: true });
    expect(dry.finished.get("step-0002")!.skipped).toEqual({ reason: "unknown", message: "unknown until run: shell reads name, known after step-0001 runs" });
    expect(readdirSync(tmp.dir)).toEqual(["site.yml"]);
  });
});
