import { afterEach, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { fakeSystemctl } from "../helpers/fake_service_manager.ts";
import { runBinary } from "../helpers/run_binary.ts";
import { tempDir } from "../helpers/temp_dir.ts";

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const remove of cleanup) remove();
  cleanup = [];
});

const CONFIG = `
- systemd:
    name: app
    state: started
    enabled: true
    unit:
      content: |
        [Service]
        ExecStart=/usr/bin/app --port {{ port }}
    dropin:
      name: 10-env
      src_template: env.conf.mustache
`;

function setup(state: string[] = []) {
  const tmp = tempDir({ "site.yml": `vars: {port: 8080}\nsteps:${CONFIG}`, "env.conf.mustache": "[Service]\nEnvironment=PORT={{ port }}\n" });
  cleanup.push(tmp.remove);
  const fake = fakeSystemctl(tmp.dir, state);
  const env = { PATH: `${tmp.dir}:${process.env.PATH}`, MOONCAKE_SYSTEMD_ROOT: tmp.path("root") };
  const run = (...extra: string[]) => runBinary(["run", "-c", tmp.path("site.yml"), "--raw", ...extra], { cwd: tmp.dir, env });
  return { tmp, fake, run };
}

describe("systemd", () => {
  test("first run writes unit and drop-in, reloads, starts and enables; the second makes no mutating call", () => {
    const { tmp, fake, run } = setup();
    const first = run();
    expect(first.exitCode).toBe(0);
    expect(fake.calls()).toEqual(["is-active app.service", "is-enabled app.service", "daemon-reload", "start app.service", "enable app.service"]);
    expect(readFileSync(tmp.path("root/etc/systemd/system/app.service"), "utf8")).toBe("[Service]\nExecStart=/usr/bin/app --port 8080\n");
    expect(readFileSync(tmp.path("root/etc/systemd/system/app.service.d/10-env.conf"), "utf8")).toBe("[Service]\nEnvironment=PORT=8080\n");

    fake.clearCalls();
    const second = run("--log-format", "json");
    expect(second.exitCode).toBe(0);
    expect(fake.calls()).toEqual(["is-active app.service", "is-enabled app.service"]);
    const finished = second.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l)).find((e) => e.type === "step.finished");
    expect(finished.data).toMatchObject({ status: "ok", change: { kind: "none", reason: "unit files unchanged, app.service is active, app.service is enabled" } });
  });

  test("a changed drop-in reloads the daemon and nothing else when the service is already as asked", () => {
    const { tmp, fake, run } = setup(["active app.service", "enabled app.service"]);
    expect(run().exitCode).toBe(0);
    fake.clearCalls();
    writeFileSync(tmp.path("env.conf.mustache"), "[Service]\nEnvironment=PORT={{ port }} DEBUG=1\n");
    expect(run().exitCode).toBe(0);
    expect(fake.calls()).toEqual(["is-active app.service", "is-enabled app.service", "daemon-reload"]);
  });

  test("dry-run asks systemctl but changes nothing, and says what it would do", () => {
    const { tmp, fake, run } = setup();
    const dry = run("--dry-run");
    expect(dry.exitCode).toBe(0);
    expect(fake.calls()).toEqual(["is-active app.service", "is-enabled app.service"]);
    expect(dry.stdout).toContain("systemctl daemon-reload");
    expect(dry.stdout).toContain("systemctl start app.service");
    expect(() => readFileSync(tmp.path("root/etc/systemd/system/app.service"))).toThrow();
  });

  test("stopped and disabled act only on a running, enabled service; service: is the same action", () => {
    const tmp = tempDir({ "site.yml": "- service: {name: cron, state: stopped, enabled: false}\n" });
    cleanup.push(tmp.remove);
    const fake = fakeSystemctl(tmp.dir, ["active cron.service", "enabled cron.service"]);
    const env = { PATH: `${tmp.dir}:${process.env.PATH}`, MOONCAKE_SYSTEMD_ROOT: tmp.path("root") };
    expect(runBinary(["run", "-c", tmp.path("site.yml"), "--raw"], { cwd: tmp.dir, env }).exitCode).toBe(0);
    expect(runBinary(["run", "-c", tmp.path("site.yml"), "--raw"], { cwd: tmp.dir, env }).exitCode).toBe(0);
    expect(fake.calls()).toEqual([
      "is-active cron.service", "is-enabled cron.service", "stop cron.service", "disable cron.service",
      "is-active cron.service", "is-enabled cron.service",
    ]);
  });
});
