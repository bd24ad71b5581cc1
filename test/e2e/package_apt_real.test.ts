import { describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { sandbox } from "../helpers/converge.ts";
import { runBinary } from "../helpers/run_binary.ts";

/** A tiny package with no dependencies beyond libc, from the configured apt sources. */
const PACKAGE = "hello";
/** The package the air-gapped test builds itself: one file under /usr/share/doc. */
const PROBE = "mooncake-airgap-probe";

function isInstalled(name: string): boolean {
  const query = Bun.spawnSync(["dpkg-query", "-W", "-f=${db:Status-Abbrev}", name], { stderr: "ignore" });
  return query.exitCode === 0 && query.stdout.toString().startsWith("ii");
}

function removeIfInstalled(name: string): void {
  if (isInstalled(name)) Bun.spawnSync(["apt-get", "remove", "-y", "-q", name], { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
}

/** Why this machine cannot host a real install, or undefined when it can. */
function unavailable(): string | undefined {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return "not root on Linux";
  if (!Bun.which("apt-get") || !Bun.which("dpkg-query") || !Bun.which("dpkg-deb")) return "no apt";
  return undefined;
}

function helloUnavailable(): string | undefined {
  if (isInstalled(PACKAGE)) return `${PACKAGE} is already installed here; the test will not remove it`;
  const policy = Bun.spawnSync(["apt-cache", "policy", PACKAGE]).stdout.toString();
  if (!/Candidate: (?!\(none\))/.test(policy)) return `no candidate for ${PACKAGE} in the apt lists (run apt-get update)`;
  return undefined;
}

/** The run's counts from its JSON events. */
function run(dir: string, config: string) {
  const result = runBinary(["run", "-c", config, "--log-format", "json", "--no-artifacts"], { cwd: dir });
  const finished = result.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l)).find((e) => e.type === "run.finished");
  return { ...result, counts: finished?.data.counts };
}

/** A flat apt repository (what `dpkg-scanpackages` makes) holding one package built here. */
function buildFlatRepository(dir: string): void {
  const root = `${dir}/build`;
  mkdirSync(`${root}/DEBIAN`, { recursive: true });
  mkdirSync(`${root}/usr/share/doc/${PROBE}`, { recursive: true });
  writeFileSync(`${root}/DEBIAN/control`, `Package: ${PROBE}\nVersion: 1.0\nArchitecture: all\nMaintainer: mooncake tests <tests@invalid>\nDescription: installed and removed by mooncake's tests\n`);
  writeFileSync(`${root}/usr/share/doc/${PROBE}/README`, "air-gapped\n");
  mkdirSync(`${dir}/repo`);
  const deb = `${dir}/repo/${PROBE}_1.0_all.deb`;
  expect(Bun.spawnSync(["dpkg-deb", "--root-owner-group", "--build", root, deb]).exitCode).toBe(0);
  const bytes = readFileSync(deb);
  const control = Bun.spawnSync(["dpkg-deb", "-f", deb]).stdout.toString().trimEnd();
  writeFileSync(`${dir}/repo/Packages`, `${control}\nFilename: ./${PROBE}_1.0_all.deb\nSize: ${bytes.length}\nSHA256: ${new Bun.CryptoHasher("sha256").update(bytes).digest("hex")}\n\n`);
  chmodSync(`${dir}/repo`, 0o755);
}

const reason = unavailable() ?? helloUnavailable();
if (reason) console.log(`skipping the real apt install test: ${reason}`);
const airgapReason = unavailable() ?? (isInstalled(PROBE) ? `${PROBE} is already installed` : undefined);
if (airgapReason) console.log(`skipping the real air-gapped apt test: ${airgapReason}`);

describe("package on a real Debian", () => {
  test.skipIf(reason !== undefined)(`installs and removes ${PACKAGE} through apt, each converging on the second run`, () => {
    const tmp = sandbox({
      "install.yml": `- package: { name: ${PACKAGE} }\n`,
      "remove.yml": `- package: { name: ${PACKAGE}, state: absent }\n`,
    });
    try {
      const install = run(tmp.dir, "install.yml");
      expect(install.exitCode).toBe(0);
      expect(install.counts).toMatchObject({ changed: 1, failed: 0 });
      expect(isInstalled(PACKAGE)).toBe(true);
      expect(run(tmp.dir, "install.yml").counts).toMatchObject({ changed: 0, ok: 1 });
      expect(run(tmp.dir, "remove.yml").counts).toMatchObject({ changed: 1, failed: 0 });
      expect(isInstalled(PACKAGE)).toBe(false);
      expect(run(tmp.dir, "remove.yml").counts).toMatchObject({ changed: 0, ok: 1 });
    } finally {
      removeIfInstalled(PACKAGE);
    }
  }, 300_000);

  test.skipIf(airgapReason !== undefined)("installs a package from a local flat repository folder alone, then converges", () => {
    const tmp = sandbox({ "site.yml": `- package: { name: ${PROBE}, repo: repo }\n` });
    buildFlatRepository(tmp.dir);
    try {
      const install = run(tmp.dir, "site.yml");
      expect(install.exitCode).toBe(0);
      expect(install.counts).toMatchObject({ changed: 1, failed: 0 });
      expect(isInstalled(PROBE)).toBe(true);
      expect(run(tmp.dir, "site.yml").counts).toMatchObject({ changed: 0, ok: 1 });
    } finally {
      removeIfInstalled(PROBE);
    }
  }, 300_000);
});
