import { existsSync, readFileSync } from "node:fs";
import { arch, availableParallelism, homedir, hostname, platform, totalmem, userInfo } from "node:os";
import { delimiter, join } from "node:path";

/**
 * The flat facts configs use as top-level variables, cheap enough to compute on every plan
 * (no process spawned). Richer fact groups are computed lazily elsewhere.
 */
export interface BasicFacts {
  os: string;
  arch: string;
  hostname: string;
  username: string;
  user_home: string;
  cpu_cores: number;
  memory_total_mb: number;
  distribution: string;
  distribution_version: string;
  distribution_major: string;
  package_manager: string;
  apt_available: boolean;
  dnf_available: boolean;
  yum_available: boolean;
  pacman_available: boolean;
  zypper_available: boolean;
  apk_available: boolean;
  brew_available: boolean;
  port_available: boolean;
  linux: boolean;
  darwin: boolean;
  macos: boolean;
  windows: boolean;
}

export interface FactSources {
  platform: string;
  arch: string;
  osRelease: string | undefined;
  path: string;
  exists: (path: string) => boolean;
}

const OS_NAMES: Record<string, string> = { linux: "linux", darwin: "darwin", win32: "windows" };
const ARCH_NAMES: Record<string, string> = { x64: "amd64", arm64: "arm64", ia32: "386", arm: "arm" };

const DISTRO_MANAGERS: Record<string, string> = {
  ubuntu: "apt", debian: "apt", linuxmint: "apt", pop: "apt",
  fedora: "dnf", centos: "dnf", rhel: "dnf", rocky: "dnf", almalinux: "dnf",
  arch: "pacman", manjaro: "pacman",
  opensuse: "zypper", "opensuse-leap": "zypper", "opensuse-tumbleweed": "zypper", sles: "zypper",
  alpine: "apk",
};
const MANAGERS_BY_OS: Record<string, readonly string[]> = {
  linux: ["apt", "dnf", "yum", "pacman", "zypper", "apk"],
  darwin: ["brew", "port"],
  windows: ["choco", "winget", "scoop"],
};

let cached: BasicFacts | undefined;

/** Facts of this machine, computed once per process. */
export function basicFacts(): BasicFacts {
  cached ??= computeBasicFacts({
    platform: platform(),
    arch: arch(),
    osRelease: readIfExists("/etc/os-release"),
    path: process.env.PATH ?? "",
    exists: existsSync,
  });
  return cached;
}

export function computeBasicFacts(sources: FactSources): BasicFacts {
  const os = OS_NAMES[sources.platform] ?? sources.platform;
  const release = parseOsRelease(sources.osRelease ?? "");
  const distribution = os === "linux" ? (release.ID ?? "linux") : os === "darwin" ? "macos" : os;
  const version = release.VERSION_ID ?? "";
  const user = safeUserInfo();
  return {
    os,
    arch: ARCH_NAMES[sources.arch] ?? sources.arch,
    hostname: hostname(),
    username: user.username,
    user_home: user.home,
    cpu_cores: availableParallelism(),
    memory_total_mb: Math.floor(totalmem() / (1024 * 1024)),
    distribution,
    distribution_version: version,
    distribution_major: version.split(".")[0] ?? "",
    package_manager: packageManager(os, distribution, sources),
    ...managersOnPath(sources),
    linux: os === "linux",
    darwin: os === "darwin",
    macos: os === "darwin",
    windows: os === "windows",
  };
}

/** `KEY=value` lines of /etc/os-release, quotes removed. */
export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match) fields[match[1]!] = match[2]!.replace(/^["']|["']$/g, "");
  }
  return fields;
}

function packageManager(os: string, distribution: string, sources: FactSources): string {
  const known = DISTRO_MANAGERS[distribution];
  if (known && (known !== "dnf" || onPath("dnf", sources))) return known;
  if (known === "dnf") return "yum";
  return (MANAGERS_BY_OS[os] ?? []).find((m) => onPath(m, sources)) ?? "";
}

/** The program whose presence on PATH makes each `<manager>_available` fact true. */
const MANAGER_PROGRAMS = {
  apt: "apt-get", dnf: "dnf", yum: "yum", pacman: "pacman", zypper: "zypper", apk: "apk", brew: "brew", port: "port",
} as const;

type ManagerFacts = { [M in keyof typeof MANAGER_PROGRAMS as `${M}_available`]: boolean };

function managersOnPath(sources: FactSources): ManagerFacts {
  return Object.fromEntries(Object.entries(MANAGER_PROGRAMS).map(([m, program]) => [`${m}_available`, onPath(program, sources)])) as ManagerFacts;
}

function onPath(program: string, sources: FactSources): boolean {
  return sources.path.split(delimiter).some((d) => d && sources.exists(join(d, program)));
}

export function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

function safeUserInfo(): { username: string; home: string } {
  try {
    const info = userInfo();
    return { username: info.username, home: process.env.HOME ?? info.homedir };
  } catch {
    return { username: process.env.USER ?? "", home: homedir() };
  }
}
