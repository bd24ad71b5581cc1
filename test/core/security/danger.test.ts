import { describe, expect, test } from "bun:test";
import { mkdirSync, symlinkSync } from "node:fs";
import { removalDanger, type ProtectedPathSources } from "../../../core/security/danger.ts";
import { sandbox } from "../../helpers/converge.ts";

/** A fake root in a temp dir: the protected-path list is a parameter, so nothing real is at risk. */
function fakeRoot() {
  const tmp = sandbox({ "etc/passwd": "x", "etc/hosts": "x", "usr/bin/sh": "x", "home/alice/notes": "x", "work/site/site.yml": "x", "data/a": "x", "data/b": "x" });
  symlinkSync("usr/bin", tmp.path("bin"));
  const r = (p: string) => tmp.path(p);
  const sources: ProtectedPathSources = {
    root: tmp.dir,
    systemDirectories: [r("bin"), r("etc"), r("usr"), r("usr/bin"), r("home")],
    home: r("home/alice"),
    userHomes: new Map([["alice", r("home/alice")]]),
    configDirectories: [r("work/site")],
  };
  return { r, sources, tmp };
}

describe("removalDanger", () => {
  test("the root, a system directory and a home are dangerous; a path inside them is not", () => {
    const { r, sources } = fakeRoot();
    expect(removalDanger([r("")], sources)?.reason).toBe("it is the root directory");
    expect(removalDanger([r("etc")], sources)?.reason).toBe("it is a system directory");
    expect(removalDanger([r("home/alice")], sources)?.reason).toBe("it is the home directory");
    expect(removalDanger([r("etc/hosts")], sources)).toBeUndefined();
  });

  test("a directory above a protected one is dangerous: it holds it", () => {
    const { r, sources } = fakeRoot();
    expect(removalDanger([r("work")], sources)?.reason).toBe(`it holds the directory of the config "${r("work/site")}"`);
  });

  test("the config's own directory is refused", () => {
    const { r, sources } = fakeRoot();
    expect(removalDanger([r("work/site")], sources)?.reason).toBe("it is the directory of the config");
  });

  test("a path through a link is judged by its real path: lnk/etc with lnk -> root is the system directory", () => {
    const { r, sources } = fakeRoot();
    mkdirSync(r("tmp"));
    symlinkSync(r(""), r("tmp/lnk"));
    expect(removalDanger([r("tmp/lnk/etc")], sources)).toEqual({ path: r("tmp/lnk/etc"), reason: `it is a system directory ("${r("etc")}")` });
  });

  test("the real path of a protected path is protected too (bin -> usr/bin)", () => {
    const { r, sources } = fakeRoot();
    const only = { ...sources, systemDirectories: [r("bin")] };
    expect(removalDanger([r("usr/bin")], only)?.reason).toBe("it is a system directory");
  });

  test("a link at the end is the link itself: removing it is harmless", () => {
    const { r, sources } = fakeRoot();
    symlinkSync(r("etc"), r("data/etc-link"));
    expect(removalDanger([r("data/etc-link")], sources)).toBeUndefined();
  });

  test("glob matches that are every entry of a protected directory would empty it; a part of it would not", () => {
    const { r, sources } = fakeRoot();
    expect(removalDanger([r("etc/hosts"), r("etc/passwd")], sources, "matches")?.reason).toBe(`with the other matches it would empty a system directory "${r("etc")}"`);
    expect(removalDanger([r("etc/hosts")], sources, "matches")).toBeUndefined();
    expect(removalDanger([r("home/alice/notes")], sources, "matches")?.reason).toBe(`with the other matches it would empty the home directory "${r("home/alice")}"`);
    expect(removalDanger([r("data/a"), r("data/b")], sources, "matches")).toBeUndefined();
  });

  test("contents (sync delete) follows the directory to its real path", () => {
    const { r, sources } = fakeRoot();
    symlinkSync(r("etc"), r("data/conf"));
    expect(removalDanger([r("data/conf")], sources, "contents")?.reason).toBe(`it is a system directory ("${r("etc")}")`);
    expect(removalDanger([r("data")], sources, "contents")).toBeUndefined();
  });
});
