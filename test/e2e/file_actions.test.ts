import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { sandbox } from "../helpers/converge.ts";
import { runBinary } from "../helpers/run_binary.ts";
import { treeSnapshot } from "../helpers/tree_snapshot.ts";

const SITE = `
vars: { app: shop }
steps:
  - name: Site directory
    file: { path: out/site, state: directory, mode: "0755" }
  - name: Index page
    file: { path: out/site/index.html, content: "<h1>{{ app }}</h1>\\n" }
  - name: Server config
    template: { src: server.conf.mustache, dest: out/server.conf, mode: 0640 }
  - name: Assets
    sync: { src: assets, dest: out/site/assets, delete: true }
  - name: Logo copy
    copy: { src: assets/logo.svg, dest: out/logo.svg }
`;

function site() {
  return sandbox({
    "site.yml": SITE,
    "server.conf.mustache": "server {{ app }}\nlisten 80\n",
    "assets/logo.svg": "<svg/>",
    "assets/css/main.css": "body{}",
  });
}

describe("file actions through the binary", () => {
  test("--dry-run previews with a diff and writes nothing; a run converges; a second run changes nothing", () => {
    const tmp = site();
    const before = treeSnapshot(tmp.dir);
    const preview = runBinary(["run", "-c", "site.yml", "--dry-run", "--raw", "--no-artifacts"], { cwd: tmp.dir });
    expect(preview.exitCode).toBe(0);
    expect(treeSnapshot(tmp.dir)).toEqual(before);
    expect(preview.stdout).toContain(`+ ${tmp.path("out/server.conf")}  (file does not exist (and 1 parent directory))`);
    expect(preview.stdout).toContain("+server shop\n");
    expect(preview.stdout).toMatch(/\+ css\/main\.css/);
    expect(preview.stdout).toContain("Dry run finished: 0 ok, 5 would change");

    const first = runBinary(["run", "-c", "site.yml", "--raw"], { cwd: tmp.dir });
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain("Run finished: 0 ok, 5 changed");
    expect(readFileSync(tmp.path("out/server.conf"), "utf8")).toBe("server shop\nlisten 80\n");
    expect(readFileSync(tmp.path("out/site/assets/css/main.css"), "utf8")).toBe("body{}");
    const [runDir] = [...new Bun.Glob(".mooncake/runs/*/diff.json").scanSync({ cwd: tmp.dir, dot: true })];
    const diff = JSON.parse(readFileSync(tmp.path(runDir!), "utf8"));
    expect(diff.changed_files.map((f: { path: string; operation: string }) => `${f.operation} ${f.path.slice(tmp.dir.length)}`)).toContain("created /out/server.conf");
    expect(diff.total).toBe(diff.changed_files.length);

    const second = runBinary(["run", "-c", "site.yml", "--log-format", "json", "--log-level", "debug"], { cwd: tmp.dir });
    expect(second.exitCode).toBe(0);
    const events = second.stdout.trim().split("\n").map((line) => JSON.parse(line));
    expect(events.filter((e) => e.type === "file.changed")).toEqual([]);
    expect(events.at(-1).data.counts).toMatchObject({ ok: 5, changed: 0 });
  });

  test("every created file is a file.changed event in the JSON stream (--log-level debug)", () => {
    const tmp = site();
    const run = runBinary(["run", "-c", "site.yml", "--log-format", "json", "--log-level", "debug"], { cwd: tmp.dir });
    const changed = run.stdout.trim().split("\n").map((line) => JSON.parse(line)).filter((e) => e.type === "file.changed");
    expect(changed.map((e) => `${e.data.operation} ${e.data.kind} ${e.data.path.slice(tmp.dir.length)}`)).toEqual([
      "created directory /out", "created directory /out/site", "created file /out/site/index.html", "created file /out/server.conf",
      "created directory /out/site/assets", "created directory /out/site/assets/css", "created file /out/site/assets/css/main.css",
      "created file /out/site/assets/logo.svg", "created file /out/logo.svg",
    ]);
  });

  test("removing the home directory needs --i-accept-danger (exit 3 without it)", () => {
    const tmp = sandbox({ "site.yml": "- file: { path: \"~\", state: absent, force: true }\n", "home/.profile": "" });
    const env = { HOME: tmp.path("home") };
    const refused = runBinary(["run", "-c", "site.yml", "--raw"], { cwd: tmp.dir, env });
    expect(refused.exitCode).toBe(3);
    expect(refused.stdout).toContain(`Refusing to remove "${tmp.path("home")}": it is the home directory (danger category "protected_paths": run with --i-accept-danger to allow it)`);
    expect(existsSync(tmp.path("home/.profile"))).toBe(true);
    const accepted = runBinary(["run", "-c", "site.yml", "--raw", "--i-accept-danger"], { cwd: tmp.dir, env });
    expect(accepted.exitCode).toBe(0);
    expect(existsSync(tmp.path("home"))).toBe(false);
  });

  test("without rsync on PATH sync uses the built-in copy, and engine: rsync says rsync is missing", () => {
    const tmp = sandbox({ "src/a.txt": "a", "site.yml": "- sync: { src: src, dest: dest }\n" });
    mkdirSync(tmp.path("bin"));
    const env = { PATH: tmp.path("bin") };
    const run = runBinary(["run", "-c", "site.yml", "--dry-run", "--raw", "--no-artifacts"], { cwd: tmp.dir, env });
    expect(run.stdout).toContain("(dest does not exist; 1 to create, 0 to update, 0 to remove (with builtin))");
    writeFileSync(tmp.path("site.yml"), "- sync: { src: src, dest: dest, engine: rsync }\n");
    const forced = runBinary(["run", "-c", "site.yml", "--raw"], { cwd: tmp.dir, env });
    expect(forced.exitCode).toBe(3);
    expect(forced.stdout).toContain("Cannot sync with rsync: rsync is not on PATH (engine: auto falls back to the built-in copy)");
  });
});
