import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { inDirectoryOf, openDirectoryNoFollow } from "../../../core/fs/directory_handle.ts";
import { installFile } from "../../../core/fs/install_file.ts";
import { writeAll } from "../../../core/fs/write_all.ts";
import { sandbox } from "../../helpers/converge.ts";

const onLinux = process.platform === "linux" && existsSync("/proc/self/fd");

/** A directory `app/` that a hostile user swaps, mid-operation, for a link to `victim/`. */
function swapSetup() {
  const tmp = sandbox({ "app/old.conf": "old", "app/tree/x": "x", "victim/keep": "k", "victim/tree/x": "victim x" });
  const swap = () => {
    renameSync(tmp.path("app"), tmp.path("app.moved"));
    symlinkSync(tmp.path("victim"), tmp.path("app"));
  };
  return { tmp, swap };
}

describe.skipIf(!onLinux)("a parent directory swapped for a link after the check is not followed", () => {
  test("installFile renames into the directory it opened, not into the link's target", async () => {
    const { tmp, swap } = swapSetup();
    await installFile(tmp.path("app/new.conf"), (fd) => {
      swap();
      writeAll(fd, Buffer.from("new"));
    }, { mode: 0o644 });
    expect(readFileSync(tmp.path("app.moved/new.conf"), "utf8")).toBe("new");
    expect(readdirSync(tmp.path("victim")).sort()).toEqual(["keep", "tree"]);
  });

  test("a removal through the held parent removes in the directory it opened", () => {
    const { tmp, swap } = swapSetup();
    inDirectoryOf(tmp.path("app/tree"), (dir, name) => {
      swap();
      rmSync(dir.at(name), { recursive: true, force: true });
    });
    expect(existsSync(tmp.path("app.moved/tree"))).toBe(false);
    expect(readFileSync(tmp.path("victim/tree/x"), "utf8")).toBe("victim x");
  });

  test("opening a path with a link among its components fails instead of following it", () => {
    const { tmp, swap } = swapSetup();
    swap();
    expect(() => openDirectoryNoFollow(tmp.path("app"))).toThrow(expect.objectContaining({ code: "ELINKED" }));
    mkdirSync(tmp.path("app.moved/sub"));
    openDirectoryNoFollow(tmp.path("app.moved/sub")).close();
  });
});
if (!onLinux) test.skip("directory handles: /proc/self/fd is Linux only", () => {});
