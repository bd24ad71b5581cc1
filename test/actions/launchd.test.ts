import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { fakeLaunchctl } from "../helpers/fake_service_manager.ts";
import { FIXED_FACTS } from "../helpers/fixed_facts.ts";
import { runConfig } from "../helpers/run_config.ts";
import { tempDir } from "../helpers/temp_dir.ts";

// The host is Linux: the plan is compiled with macOS facts and the launchd action runs against a fake launchctl.
const DARWIN = { ...FIXED_FACTS, os: "darwin", linux: false, darwin: true, macos: true, distribution: "macos" };
const uid = process.getuid!();

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const remove of cleanup) remove();
  cleanup = [];
});
const savedRoot = process.env.MOONCAKE_LAUNCHD_ROOT;
let root: ReturnType<typeof tempDir>;
beforeAll(() => {
  root = tempDir();
  process.env.MOONCAKE_LAUNCHD_ROOT = root.dir;
});
afterAll(() => {
  root.remove();
  if (savedRoot === undefined) delete process.env.MOONCAKE_LAUNCHD_ROOT;
  else process.env.MOONCAKE_LAUNCHD_ROOT = savedRoot;
});

function setup(config: string, loaded: string[] = [], disabled: string[] = []) {
  const tmp = tempDir({ "site.yml": config });
  cleanup.push(tmp.remove);
  const fake = fakeLaunchctl(tmp.dir, loaded, disabled);
  const run = (dryRun = false) => runConfig(tmp.path("site.yml"), { facts: DARWIN, dryRun, env: { PATH: `${tmp.dir}:${process.env.PATH}` } });
  return { tmp, fake, run };
}

const AGENT = [
  "- launchd:",
  "    label: dev.app",
  "    state: loaded",
  "    enabled: true",
  "    plist_content: |",
  '      <?xml version="1.0"?>',
  '      <plist version="1.0"><dict><key>Label</key><string>dev.app</string></dict></plist>',
  "",
].join("\n");

describe("launchd", () => {
  test("writes the plist and bootstraps a user agent once; the second run only looks", async () => {
    const { fake, run } = setup(AGENT, [], ["dev.app"]);
    const first = await run();
    expect(first.steps[0]).toMatchObject({ status: "changed" });
    const plist = `${root.dir}/Library/LaunchAgents/dev.app.plist`;
    expect(fake.calls()).toEqual([`print gui/${uid}/dev.app`, `print-disabled gui/${uid}`, `enable gui/${uid}/dev.app`, `bootstrap gui/${uid} ${plist}`]);
    expect(readFileSync(plist, "utf8")).toContain("<string>dev.app</string>");

    // The fake keeps no enablement: the second machine state is loaded and enabled.
    const again = setup(AGENT, [`gui/${uid}/dev.app`]);
    const second = await again.run();
    expect(second.steps[0]).toMatchObject({ status: "ok", change: { kind: "none", reason: "plist unchanged, dev.app is loaded, dev.app is enabled" } });
    expect(again.fake.calls()).toEqual([`print gui/${uid}/dev.app`, `print-disabled gui/${uid}`]);
  });

  test("a system daemon that is loaded is booted out for unloaded; dry-run only looks", async () => {
    const { fake, run } = setup("- launchd: {label: dev.daemon, state: unloaded, scope: system}\n", ["system/dev.daemon"]);
    const dry = await run(true);
    expect(dry.steps[0]).toMatchObject({ status: "changed", change: { reason: "dev.daemon: launchctl bootout system/dev.daemon" } });
    expect(fake.calls()).toEqual(["print system/dev.daemon"]);
    fake.clearCalls();
    await run();
    expect(fake.calls()).toEqual(["print system/dev.daemon", "bootout system/dev.daemon"]);
  });

  test("launchd is not available on Linux", async () => {
    const tmp = tempDir({ "site.yml": "- launchd: {label: x}\n" });
    cleanup.push(tmp.remove);
    await expect(runConfig(tmp.path("site.yml"))).rejects.toThrow("The launchd action is not supported on linux (supported: darwin)");
  });
});
