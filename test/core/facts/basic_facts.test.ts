import { describe, expect, test } from "bun:test";
import { computeBasicFacts, parseOsRelease, type FactSources } from "../../../core/facts/basic_facts.ts";

function sources(overrides: Partial<FactSources>): FactSources {
  return { platform: "linux", arch: "x64", osRelease: undefined, path: "/usr/bin", exists: () => false, ...overrides };
}

describe("basic facts", () => {
  test("os and arch use the names configs expect", () => {
    expect(computeBasicFacts(sources({ platform: "win32", arch: "arm64" }))).toMatchObject({ os: "windows", arch: "arm64", windows: true, linux: false });
    expect(computeBasicFacts(sources({ platform: "darwin", arch: "x64" }))).toMatchObject({ os: "darwin", arch: "amd64", distribution: "macos", macos: true });
  });

  test("distribution, version and major come from /etc/os-release", () => {
    const facts = computeBasicFacts(sources({ osRelease: 'NAME="Ubuntu"\nID=ubuntu\nVERSION_ID="22.04"\n' }));
    expect(facts).toMatchObject({ distribution: "ubuntu", distribution_version: "22.04", distribution_major: "22", package_manager: "apt" });
  });

  test("rhel-likes get dnf when it is on PATH, else yum", () => {
    const release = "ID=centos\nVERSION_ID=7\n";
    expect(computeBasicFacts(sources({ osRelease: release })).package_manager).toBe("yum");
    expect(computeBasicFacts(sources({ osRelease: release, exists: (p) => p === "/usr/bin/dnf" })).package_manager).toBe("dnf");
  });

  test("an unknown distribution gets the first package manager found on PATH", () => {
    const facts = computeBasicFacts(sources({ osRelease: "ID=exotic\n", path: "/a:/b", exists: (p) => p === "/b/pacman" || p === "/b/apk" }));
    expect(facts.package_manager).toBe("pacman");
    expect(computeBasicFacts(sources({ osRelease: "ID=exotic\n" })).package_manager).toBe("");
  });

  test("os-release values lose their quotes", () => {
    expect(parseOsRelease("ID='debian'\nPRETTY_NAME=\"Debian GNU/Linux 12\"\n# comment\n")).toEqual({ ID: "debian", PRETTY_NAME: "Debian GNU/Linux 12" });
  });

  test("the machine's own facts are typed as configs use them", () => {
    const facts = computeBasicFacts(sources({}));
    expect(facts.cpu_cores).toBeGreaterThan(0);
    expect(facts.memory_total_mb).toBeGreaterThan(0);
    expect(typeof facts.hostname).toBe("string");
  });
});
