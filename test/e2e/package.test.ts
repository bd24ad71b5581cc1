import { describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { sandbox } from "../helpers/converge.ts";
import { fakePackageManagers } from "../helpers/fake_package_managers.ts";
import { runBinary } from "../helpers/run_binary.ts";

const LOCK = "-o DPkg::Lock::Timeout=300";

/** A temp dir with the fakes and a config; `run` runs mooncake there with the fakes first on PATH. */
function host(packages: Parameters<typeof fakePackageManagers>[1], config: string) {
  const tmp = sandbox({ "site.yml": config });
  const fakes = fakePackageManagers(tmp.dir, packages);
  const run = (...extra: string[]) => runBinary(["run", "-c", "site.yml", "--raw", "--no-artifacts", ...extra], {
    cwd: tmp.dir,
    env: { PATH: `${tmp.dir}:${process.env.PATH}` },
  });
  return { ...tmp, ...fakes, run };
}

/** The calls that change the machine (anything but the database queries). */
function changing(calls: string[]): string[] {
  return calls.filter((c) => !/^(dpkg-query|apt-cache|rpm|dpkg-deb) /.test(c) && !/^apt-get \S+ -s /.test(c) && !c.includes(" -s -q upgrade"));
}

describe("package (apt)", () => {
  test("installs only the missing packages in one non-interactive apt-get call; a dry-run says which; a second run sends nothing", () => {
    const h = host({ installed: { curl: "7.88" }, available: { curl: "7.88", jq: "1.6", git: "2.39" } }, "- package: { name: [curl, jq], names: [git] }\n");
    const preview = h.run("--dry-run");
    expect(preview.exitCode).toBe(0);
    expect(preview.stdout).toContain("jq: not installed; git: not installed");
    expect(changing(h.calls())).toEqual([]);
    h.clearCalls();

    expect(h.run().exitCode).toBe(0);
    expect(changing(h.calls())).toEqual([`apt-get DEBIAN_FRONTEND=noninteractive -q -y ${LOCK} install jq git`]);
    expect(h.installed()).toEqual({ curl: "7.88", jq: "1.6", git: "2.39" });
    h.clearCalls();

    const second = h.run();
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toMatch(/^ok +step-0001 +package/m);
    expect(changing(h.calls())).toEqual([]);
  });

  test("absent removes only what is installed; latest upgrades only what is outdated; a version pin installs name=version", () => {
    const h = host({ installed: { a: "1", b: "1", c: "1" }, available: { a: "1", b: "2", c: "1" } }, [
      "- package: { name: [a, zzz], state: absent }",
      "- package: { names: [b, c], state: latest }",
      "- package: { name: c, version: '0.9' }",
      "",
    ].join("\n"));
    expect(h.run().exitCode).toBe(0);
    expect(changing(h.calls())).toEqual([
      `apt-get DEBIAN_FRONTEND=noninteractive -q -y ${LOCK} remove a`,
      `apt-get DEBIAN_FRONTEND=noninteractive -q -y ${LOCK} install --only-upgrade b`,
      `apt-get DEBIAN_FRONTEND=noninteractive -q -y ${LOCK} install c=0.9`,
    ]);
    expect(h.installed()).toEqual({ b: "2", c: "0.9" });
  });

  test("a local .deb (air-gapped) is installed when its version is not the installed one, then left alone", () => {
    const h = host({}, "- package: { deb: pkgs/tool.deb }\n");
    sandboxFile(h.dir, "pkgs/tool.deb", "Package: tool\nVersion: 3.1\n");
    expect(h.run().exitCode).toBe(0);
    expect(changing(h.calls())).toEqual([`apt-get DEBIAN_FRONTEND=noninteractive -q -y ${LOCK} install ${h.path("pkgs/tool.deb")}`]);
    h.clearCalls();
    expect(h.run().exitCode).toBe(0);
    expect(changing(h.calls())).toEqual([]);
  });

  test("update_cache refreshes the lists before an install, and not when nothing is to be installed", () => {
    const h = host({ available: { jq: "1.6" } }, "- package: { name: jq, update_cache: true }\n");
    expect(h.run().exitCode).toBe(0);
    expect(changing(h.calls())).toEqual([
      `apt-get DEBIAN_FRONTEND=noninteractive -q -y ${LOCK} update`,
      `apt-get DEBIAN_FRONTEND=noninteractive -q -y ${LOCK} install jq`,
    ]);
    h.clearCalls();
    expect(h.run().exitCode).toBe(0);
    expect(changing(h.calls())).toEqual([]);
  });

  test("a failing install fails the step with apt's last line; an unknown manager and a pin on several names are refused", () => {
    const h = host({}, "- package: { name: nosuch }\n");
    const failed = h.run();
    expect(failed.exitCode).toBe(3);
    expect(failed.stdout).toContain("E: Unable to locate package nosuch");
    writeFileSync(h.path("site.yml"), "- package: { name: [a, b], version: '1' }\n");
    expect(h.run().stdout).toContain("package: version pins one package: give exactly one name with it");
  });
});

describe("package from a local repository folder (air-gapped)", () => {
  const SCRATCH = "/\\S+/mooncake-repo-\\w+";

  test("apt indexes the folder into a private scratch list, installs from it alone, and removes the scratch", () => {
    const h = host({ available: { jq: "1.6" } }, "- package: { name: jq, repo: debs }\n");
    mkdirSync(h.path("debs"), { mode: 0o755 });
    const preview = h.run("--dry-run");
    expect(preview.exitCode).toBe(0);
    expect(preview.stdout).toContain("jq: not installed");
    h.clearCalls();

    expect(h.run().exitCode).toBe(0);
    const options = `-o Dir::Etc::SourceList=(${SCRATCH})/sources.list -o Dir::Etc::SourceParts=\\1/none -o Dir::State::Lists=\\1/lists`;
    // check and apply each index the folder into a scratch of their own
    const [checkIndex, applyIndex, install] = changing(h.calls());
    expect(checkIndex).toMatch(new RegExp(`^apt-get DEBIAN_FRONTEND=noninteractive -q -y ${LOCK} ${options} update$`));
    expect(applyIndex).toMatch(new RegExp(`^apt-get DEBIAN_FRONTEND=noninteractive -q -y ${LOCK} ${options} update$`));
    expect(install).toBe(applyIndex!.replace(/ update$/, " install jq"));
    for (const call of [checkIndex!, install!]) expect(existsSync(new RegExp(SCRATCH).exec(call)![0])).toBe(false);
    expect(h.installed()).toEqual({ jq: "1.6" });
  });

  test("a folder other users can write is refused before anything runs; so are update_cache and a manager without repositories", () => {
    const h = host({ available: { jq: "1.6" } }, "- package: { name: jq, repo: debs }\n");
    mkdirSync(h.path("debs"));
    chmodSync(h.path("debs"), 0o777);
    const refused = h.run();
    expect(refused.exitCode).toBe(3);
    expect(refused.stdout).toContain(`refusing the local repository "${h.path("debs")}": ${h.path("debs")} is writable by other users`);
    expect(changing(h.calls())).toEqual([]);

    chmodSync(h.path("debs"), 0o755);
    writeFileSync(h.path("site.yml"), "- package: { name: jq, repo: debs, update_cache: true }\n");
    expect(h.run().stdout).toContain("a local repository (repo:) is indexed afresh on every run; leave out update_cache");
    writeFileSync(h.path("site.yml"), "- package: { name: jq, repo: debs, manager: pacman }\n");
    expect(h.run().stdout).toContain("pacman cannot install from a local repository folder (repo:); supported: apt, dnf, apk");
  });

  test("dnf takes the folder as its only repository", () => {
    const h = host({ available: { jq: "1.7-1" } }, "- package: { name: jq, manager: dnf, repo: rpms }\n");
    mkdirSync(h.path("rpms"));
    expect(h.run().exitCode).toBe(0);
    expect(changing(h.calls())).toEqual([`dnf install -y --repofrompath=mooncake-local,${h.path("rpms")} --repo=mooncake-local --setopt=mooncake-local.gpgcheck=0 jq`]);
  });
});

describe("package (dnf)", () => {
  test("asks rpm, installs with dnf -y, pins as name-version, and a second run sends nothing", () => {
    const h = host({ installed: { curl: "8.0-1" }, available: { jq: "1.7-1" } }, "- package: { name: [curl, jq], manager: dnf }\n- package: { name: curl, version: 8.2-1, manager: dnf }\n");
    expect(h.run().exitCode).toBe(0);
    expect(changing(h.calls())).toEqual(["dnf install -y jq", "dnf install -y curl-8.2-1"]);
    h.clearCalls();
    expect(h.run().exitCode).toBe(0);
    expect(changing(h.calls())).toEqual([]);
  });
});

describe("package manager facts", () => {
  test("<manager>_available says which package managers are on PATH", () => {
    const h = host({}, "- print: 'apt {{ apt_available }} dnf {{ dnf_available }} apk {{ apk_available }}'\n");
    const result = runBinary(["run", "-c", "site.yml", "--raw", "--no-artifacts"], { cwd: h.dir, env: { PATH: h.dir } });
    expect(result.stdout).toContain("apt true dnf true apk false");
  });
});

function sandboxFile(dir: string, name: string, text: string): void {
  mkdirSync(dirname(`${dir}/${name}`), { recursive: true });
  writeFileSync(`${dir}/${name}`, text);
}
