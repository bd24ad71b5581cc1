import { describe, expect, test } from "bun:test";
import { sandbox } from "../helpers/converge.ts";
import { runBinary } from "../helpers/run_binary.ts";

/** A tiny package with no dependencies beyond libc, from the configured apt sources. */
const PACKAGE = "hello";

function installedVersion(): string | undefined {
  const query = Bun.spawnSync(["dpkg-query", "-W", "-f=${db:Status-Abbrev}", PACKAGE], { stderr: "ignore" });
  return query.exitCode === 0 && query.stdout.toString().startsWith("ii") ? "installed" : undefined;
}

/** Why this machine cannot host the real install, or undefined when it can. */
function unavailable(): string | undefined {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return "not root on Linux";
  if (!Bun.which("apt-get") || !Bun.which("dpkg-query")) return "no apt";
  if (installedVersion()) return `${PACKAGE} is already installed here; the test will not remove it`;
  const policy = Bun.spawnSync(["apt-cache", "policy", PACKAGE]).stdout.toString();
  if (!/Candidate: (?!\(none\))/.test(policy)) return `no candidate for ${PACKAGE} in the apt lists (run apt-get update)`;
  return undefined;
}

const reason = unavailable();
if (reason) console.log(`skipping the real apt install test: ${reason}`);

describe.skipIf(reason !== undefined)("package on a real Debian", () => {
  test(`installs and removes ${PACKAGE} through apt, each converging on the second run`, () => {
    const tmp = sandbox({
      "install.yml": `- package: { name: ${PACKAGE} }\n`,
      "remove.yml": `- package: { name: ${PACKAGE}, state: absent }\n`,
    });
    const run = (config: string) => runBinary(["run", "-c", config, "--log-format", "json", "--no-artifacts"], { cwd: tmp.dir });
    const counts = (stdout: string) => stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l)).find((e) => e.type === "run.finished").data.counts;
    try {
      const install = run("install.yml");
      expect(install.exitCode).toBe(0);
      expect(counts(install.stdout)).toMatchObject({ changed: 1, failed: 0 });
      expect(installedVersion()).toBe("installed");
      expect(counts(run("install.yml").stdout)).toMatchObject({ changed: 0, ok: 1 });
      const remove = run("remove.yml");
      expect(counts(remove.stdout)).toMatchObject({ changed: 1, failed: 0 });
      expect(installedVersion()).toBeUndefined();
      expect(counts(run("remove.yml").stdout)).toMatchObject({ changed: 0, ok: 1 });
    } finally {
      if (installedVersion()) Bun.spawnSync(["apt-get", "remove", "-y", "-q", PACKAGE], { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    }
  }, 300_000);
});
