import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, lstatSync, readdirSync, symlinkSync } from "node:fs";
import { runSteps } from "../helpers/run_steps.ts";
import { sandbox } from "../helpers/converge.ts";

const DANGER = /^Refusing to (remove|sync with delete into) ".*": .* \(danger category "protected_paths": run with --i-accept-danger to allow it\)$/;
let savedHome: string | undefined;
let home: ReturnType<typeof sandbox>;

beforeEach(() => {
  savedHome = process.env.HOME;
  home = sandbox({ ".profile": "p", "notes/todo.txt": "t" });
  process.env.HOME = home.dir;
});
afterEach(() => {
  process.env.HOME = savedHome;
});

const homeIntact = () => expect(readdirSync(home.dir).sort()).toEqual([".profile", "notes"]);

describe("removals refused without --i-accept-danger, in the dry-run already", () => {
  test("absent on the config's own directory or an ancestor of it", async () => {
    // The config sits one level down, so its ancestor here is the sandbox, never /tmp.
    const tmp = sandbox({ "cfg/keep.txt": "k" });
    for (const path of [".", "..", "./"]) {
      const yaml = `- file: { path: "${path}", state: absent, force: true }\n`;
      const preview = await runSteps(tmp.path("cfg"), yaml, { dryRun: true });
      expect(preview.errors[0]).toMatch(DANGER);
      await runSteps(tmp.path("cfg"), yaml);
      expect(existsSync(tmp.path("cfg/keep.txt"))).toBe(true);
    }
  });

  test("a glob that would empty the home directory, written as ~/* or through a link", async () => {
    const tmp = sandbox();
    symlinkSync(home.dir, tmp.path("lnk"));
    for (const path of ["~/*", "./lnk/*"]) {
      const yaml = `- file: { path: "${path}", state: absent, allow_glob: true, force: true }\n`;
      const preview = await runSteps(tmp.dir, yaml, { dryRun: true });
      expect(preview.errors[0]).toMatch(DANGER);
      expect(preview.errors[0]).toContain(`it would empty the home directory "${home.dir}"`);
      await runSteps(tmp.dir, yaml);
      homeIntact();
    }
  });

  test("sync with delete into the home directory, written as ~/ or through a link", async () => {
    const tmp = sandbox({ "src/a.txt": "a" });
    symlinkSync(home.dir, tmp.path("lnk"));
    for (const dest of ["~/", "lnk"]) {
      const yaml = `- sync: { src: src, dest: "${dest}", delete: true, engine: builtin }\n`;
      const preview = await runSteps(tmp.dir, yaml, { dryRun: true });
      expect(preview.errors[0]).toMatch(DANGER);
      expect(preview.errors[0]).toContain("it is the home directory");
      await runSteps(tmp.dir, yaml);
      homeIntact();
    }
  });

  test("sync with delete into an ordinary directory, and absent inside the home, still work", async () => {
    const tmp = sandbox({ "src/a.txt": "a", "dest/old.txt": "o" });
    const run = await runSteps(tmp.dir, "- sync: { src: src, dest: dest, delete: true, engine: builtin }\n- file: { path: ~/notes, state: absent, force: true }\n");
    expect(run.errors).toEqual([]);
    expect(readdirSync(tmp.path("dest"))).toEqual(["a.txt"]);
    expect(existsSync(`${home.dir}/notes`)).toBe(false);
  });
});

describe("a glob never follows a link into another tree", () => {
  test("a matched link is removed itself, and the glob does not walk through a linked directory", async () => {
    const tmp = sandbox({ "tree/real/x": "1", "tree/file": "f" });
    const outside = sandbox({ "x": "outside", "victim": "v" });
    symlinkSync(outside.dir, tmp.path("tree/linked"));
    symlinkSync(outside.path("victim"), tmp.path("tree/victim-link"));
    const run = await runSteps(tmp.dir, "- file: { path: \"tree/*/x\", state: absent, allow_glob: true }\n- file: { path: \"tree/victim*\", state: absent, allow_glob: true }\n");
    expect(run.errors).toEqual([]);
    expect(existsSync(tmp.path("tree/real/x"))).toBe(false);
    expect(readdirSync(outside.dir).sort()).toEqual(["victim", "x"]);
    expect(lstatSync(tmp.path("tree/linked")).isSymbolicLink()).toBe(true);
    expect(existsSync(tmp.path("tree/victim-link"))).toBe(false);
  });
});
