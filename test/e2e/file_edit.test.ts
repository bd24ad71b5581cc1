import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { sandbox } from "../helpers/converge.ts";
import { runBinary } from "../helpers/run_binary.ts";

const SITE = `
steps:
  - name: No root login
    file_replace: { path: sshd_config, pattern: '^#?PermitRootLogin .*$', replace: PermitRootLogin no, flags: { multiline: true } }
  - name: Swappiness
    file_insert: { path: sysctl.conf, content: vm.swappiness = 10 }
  - name: Port is up
    wait: { condition: file_exists, path: sshd_config, timeout: 1s }
`;

describe("in-place edits through the binary", () => {
  test("a dry-run shows each edit as a diff and writes nothing; the run applies them; the second run changes nothing", () => {
    const tmp = sandbox({ "site.yml": SITE, sshd_config: "Port 22\n#PermitRootLogin yes\n", "sysctl.conf": "kernel.a = 1\n" });
    const preview = runBinary(["run", "-c", "site.yml", "--dry-run", "--raw", "--no-artifacts"], { cwd: tmp.dir });
    expect(preview.exitCode).toBe(0);
    expect(preview.stdout).toContain("-#PermitRootLogin yes\n");
    expect(preview.stdout).toContain("+PermitRootLogin no\n");
    expect(preview.stdout).toContain("+vm.swappiness = 10\n");
    expect(readFileSync(tmp.path("sshd_config"), "utf8")).toBe("Port 22\n#PermitRootLogin yes\n");

    const first = runBinary(["run", "-c", "site.yml", "--raw", "--no-artifacts"], { cwd: tmp.dir });
    expect(first.exitCode).toBe(0);
    expect(readFileSync(tmp.path("sshd_config"), "utf8")).toBe("Port 22\nPermitRootLogin no\n");
    expect(readFileSync(tmp.path("sysctl.conf"), "utf8")).toBe("kernel.a = 1\nvm.swappiness = 10\n");

    const second = runBinary(["run", "-c", "site.yml", "--log-format", "json", "--no-artifacts"], { cwd: tmp.dir });
    expect(second.exitCode).toBe(0);
    const finished = second.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l)).find((e) => e.type === "run.finished");
    expect(finished.data.counts).toMatchObject({ ok: 3, changed: 0, failed: 0 });
  });
});
