import { afterEach, describe, expect, test } from "bun:test";
import { chmodSync } from "node:fs";
import { becomeCommand } from "../../../core/security/become.ts";
import { resolveSudoAuth } from "../../../core/security/sudo_password.ts";
import { tempDir } from "../../helpers/temp_dir.ts";

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const remove of cleanup) remove();
  cleanup = [];
});

describe("becomeCommand", () => {
  /** A user who is not root, on a machine with sudo and runuser. */
  const alice = { uid: 1000, name: "alice", has: () => true };
  const root = (...programs: string[]) => ({ uid: 0, name: "root", has: (p: string) => programs.includes(p) });

  test("with a password: sudo -S with an empty prompt, the password as the first stdin line", () => {
    expect(becomeCommand(["id"], { env: {}, stdin: "data", auth: { kind: "password", password: "pw" }, self: alice }))
      .toEqual({ argv: ["sudo", "-S", "-p", "", "--", "id"], stdin: "pw\ndata" });
  });

  test("without a password: sudo -n; become_user adds -u; the step's env is kept by name, its values never in argv", () => {
    expect(becomeCommand(["id", "-u"], { user: "app", env: { A: "1", DB_PASS: "s3cret" }, auth: { kind: "none" }, self: alice }))
      .toEqual({ argv: ["sudo", "-n", "-u", "app", "--preserve-env=A,DB_PASS", "--", "id", "-u"] });
  });

  test("with SUDO_ASKPASS: sudo -A", () => {
    expect(becomeCommand(["id"], { env: {}, auth: { kind: "askpass" }, self: alice }).argv.slice(0, 2)).toEqual(["sudo", "-A"]);
  });

  test("no sudo when mooncake already is the user to become: root for become alone, or become_user itself", () => {
    expect(becomeCommand(["id"], { env: { A: "1" }, stdin: "x", auth: { kind: "none" }, self: root() })).toEqual({ argv: ["id"], stdin: "x" });
    expect(becomeCommand(["id"], { user: "root", env: {}, auth: { kind: "none" }, self: root("sudo") })).toEqual({ argv: ["id"] });
    expect(becomeCommand(["id"], { user: "alice", env: {}, auth: { kind: "password", password: "pw" }, self: alice })).toEqual({ argv: ["id"] });
  });

  test("root becomes another user with runuser when sudo is missing, with sudo when it is there", () => {
    expect(becomeCommand(["id"], { user: "app", env: { A: "1" }, auth: { kind: "none" }, self: root("runuser") }))
      .toEqual({ argv: ["runuser", "-u", "app", "--", "id"] });
    expect(becomeCommand(["id"], { user: "app", env: {}, auth: { kind: "none" }, self: root("sudo", "runuser") }).argv)
      .toEqual(["sudo", "-n", "-u", "app", "--", "id"]);
  });

  test("root is never asked for a password, so none is fed: the step's stdin stays its own", () => {
    expect(becomeCommand(["cat"], { user: "app", env: {}, stdin: "data", auth: { kind: "password", password: "pw" }, self: root("sudo") }))
      .toEqual({ argv: ["sudo", "-n", "-u", "app", "--", "cat"], stdin: "data" });
    expect(becomeCommand(["cat"], { user: "app", env: {}, auth: { kind: "askpass" }, self: root("sudo") }))
      .toEqual({ argv: ["sudo", "-n", "-u", "app", "--", "cat"] });
  });
});

describe("resolveSudoAuth", () => {
  const base = { askBecomePass: false, insecureSudoPass: false };
  const noPrompt = () => Promise.reject(new Error("must not prompt"));

  test("--sudo-pass needs --insecure-sudo-pass", async () => {
    await expect(resolveSudoAuth({ ...base, sudoPass: "pw" }, noPrompt)).rejects.toThrow(/--insecure-sudo-pass/);
    expect(await resolveSudoAuth({ ...base, sudoPass: "pw", insecureSudoPass: true }, noPrompt)).toEqual({ kind: "password", password: "pw" });
  });

  test("a password file must be private: 0644 is refused, 0600 is read (first line)", async () => {
    const tmp = tempDir({ pass: "s3cret\nignored\n" });
    cleanup.push(tmp.remove);
    chmodSync(tmp.path("pass"), 0o644);
    await expect(resolveSudoAuth({ ...base, sudoPassFile: tmp.path("pass") }, noPrompt)).rejects.toThrow(/mode is 0644/);
    chmodSync(tmp.path("pass"), 0o600);
    expect(await resolveSudoAuth({ ...base, sudoPassFile: tmp.path("pass") }, noPrompt)).toEqual({ kind: "password", password: "s3cret" });
  });

  test("one source at most; the prompt is used for --ask-become-pass; SUDO_ASKPASS means askpass; nothing means none", async () => {
    await expect(resolveSudoAuth({ ...base, askBecomePass: true, sudoPassFile: "/x" }, noPrompt)).rejects.toThrow(/not --ask-become-pass and --sudo-pass-file/);
    expect(await resolveSudoAuth({ ...base, askBecomePass: true }, async () => "typed")).toEqual({ kind: "password", password: "typed" });
    expect(await resolveSudoAuth({ ...base, askpass: "/usr/bin/ask" }, noPrompt)).toEqual({ kind: "askpass" });
    expect(await resolveSudoAuth(base, noPrompt)).toEqual({ kind: "none" });
  });
});
