import type { ActionContext } from "../core/exec/action.ts";
import { ActionError } from "../core/exec/action.ts";

/** What a package manager reports about the packages a step names. */
export interface PackageState {
  /** Installed version of each named package; absent when it is not installed. */
  installed: Map<string, string>;
}

/**
 * One package manager: how to ask its database (read-only probes, used by check) and the
 * command lines that change the machine (run by apply). Every command is non-interactive.
 */
export interface PackageManager {
  name: string;
  /** Installed versions of `names`. */
  query(ctx: ActionContext, names: readonly string[]): Promise<Map<string, string>>;
  /** Which of `names` (installed) have a newer version available; all packages when names is empty. */
  outdated(ctx: ActionContext, names: readonly string[], options: readonly string[]): Promise<string[]>;
  /** `name` pinned to `version` as the install command takes it; undefined when the manager cannot pin. */
  pinned?(name: string, version: string): string;
  install(packages: readonly string[], extra: readonly string[]): string[];
  upgrade(packages: readonly string[], extra: readonly string[]): string[];
  remove(packages: readonly string[], extra: readonly string[]): string[];
  upgradeAll(extra: readonly string[]): string[];
  updateCache: string[];
  /** A file or directory whose modification time is when the package lists were last refreshed. */
  cacheStamp?: string;
  /** Installs a local package file (air-gapped): `deb` for apt, `rpm` for the rpm family. */
  localKind?: "deb" | "rpm";
  /** How to use a local repository folder (air-gapped) instead of the configured sources. */
  localRepository?(folder: string, scratch: string): LocalRepositoryUse;
}

/** Options for every command of the step, what to make in the scratch folder, and an indexing command run first. */
export interface LocalRepositoryUse {
  options: string[];
  directories?: string[];
  files?: Record<string, string>;
  index?: string[];
}

/** Runs a read-only probe and returns its standard output; a probe that cannot run fails the step. */
async function probe(ctx: ActionContext, argv: string[], okCodes: readonly number[] = [0]): Promise<{ rc: number; stdout: string }> {
  const result = await ctx.run(argv, { probe: true });
  if (result.error) throw new ActionError(result.error.kind, `Cannot ask the package database (${argv[0]}): ${result.error.message}`);
  if (result.rc === null) throw new ActionError("exit_code", `${argv[0]} was stopped before it answered`);
  if (result.rc === 127) throw new ActionError("command_not_found", `Cannot ask the package database: ${argv[0]} is not installed`);
  if (!okCodes.includes(result.rc) && result.rc !== 1) {
    throw new ActionError("exit_code", `${argv.join(" ")} exited ${result.rc}: ${result.stderr.text.trim().split("\n").pop() ?? ""}`);
  }
  return { rc: result.rc, stdout: result.stdout.text };
}

/** Lines of `name<sep>version`, keeping only the names asked for. */
function versionsFrom(stdout: string, pattern: RegExp, names: readonly string[]): Map<string, string> {
  const asked = new Set(names);
  const found = new Map<string, string>();
  for (const line of stdout.split("\n")) {
    const match = pattern.exec(line);
    if (match && asked.has(match[1]!)) found.set(match[1]!, match[2]!);
  }
  return found;
}

function namesFrom(stdout: string, pattern: RegExp, names: readonly string[]): string[] {
  const asked = new Set(names);
  return stdout.split("\n").flatMap((line) => {
    const name = pattern.exec(line)?.[1];
    return name !== undefined && (asked.size === 0 || asked.has(name)) ? [name] : [];
  });
}

const rpmQuery = (ctx: ActionContext, names: readonly string[]) =>
  probe(ctx, ["rpm", "-q", "--qf", "%{NAME}\\t%{VERSION}-%{RELEASE}\\n", ...names]).then((r) => versionsFrom(r.stdout, /^([^\t\s]+)\t(\S+)$/, names));

function dnfLike(name: "dnf" | "yum"): PackageManager {
  return {
    name,
    query: rpmQuery,
    outdated: async (ctx, names, options) => namesFrom((await probe(ctx, [name, "-q", ...options, "check-update", ...names], [0, 100])).stdout, /^([^.\s]+)\.\S+\s+\S+\s+\S+/, names),
    pinned: (pkg, version) => `${pkg}-${version}`,
    install: (pkgs, extra) => [name, "install", "-y", ...extra, ...pkgs],
    upgrade: (pkgs, extra) => [name, "upgrade", "-y", ...extra, ...pkgs],
    remove: (pkgs, extra) => [name, "remove", "-y", ...extra, ...pkgs],
    upgradeAll: (extra) => [name, "upgrade", "-y", ...extra],
    updateCache: [name, "makecache", "-q"],
    cacheStamp: `/var/cache/${name}`,
    localKind: "rpm",
    ...(name === "dnf" ? { localRepository: (folder: string) => ({ options: [`--repofrompath=mooncake-local,${folder}`, "--repo=mooncake-local", "--setopt=mooncake-local.gpgcheck=0"] }) } : {}),
  };
}

/** Seconds apt and dpkg wait for another package operation's lock before failing. */
export const LOCK_WAIT_SECONDS = 300;
const APT = ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "-q", "-y", "-o", `DPkg::Lock::Timeout=${LOCK_WAIT_SECONDS}`];

const MANAGERS: readonly PackageManager[] = [
  {
    name: "apt",
    query: async (ctx, names) => {
      const { stdout } = await probe(ctx, ["dpkg-query", "-W", "-f=${Package}\\t${db:Status-Abbrev}\\t${Version}\\n", "--", ...names]);
      return versionsFrom(stdout.replace(/^(\S+)\tii \t/gm, "$1\t"), /^([^\t]+)\t([^\t]+)$/, names);
    },
    outdated: async (ctx, names, options) => {
      if (names.length === 0) return namesFrom((await probe(ctx, ["apt-get", "-s", "-q", ...options, "upgrade"])).stdout, /^Inst (\S+)/, []);
      const { stdout } = await probe(ctx, ["apt-cache", ...options, "policy", "--", ...names]);
      return [...stdout.matchAll(/^(\S+):\n\s+Installed: (\S+)\n\s+Candidate: (\S+)/gm)]
        .filter(([, , installed, candidate]) => installed !== "(none)" && candidate !== "(none)" && installed !== candidate)
        .map(([, pkg]) => pkg!);
    },
    pinned: (pkg, version) => `${pkg}=${version}`,
    install: (pkgs, extra) => [...APT, ...extra, "install", ...pkgs],
    upgrade: (pkgs, extra) => [...APT, ...extra, "install", "--only-upgrade", ...pkgs],
    remove: (pkgs, extra) => [...APT, ...extra, "remove", ...pkgs],
    upgradeAll: (extra) => [...APT, ...extra, "upgrade"],
    updateCache: [...APT, "update"],
    cacheStamp: "/var/lib/apt/lists",
    localKind: "deb",
    localRepository: (folder, scratch) => {
      const options = [
        "-o", `Dir::Etc::SourceList=${scratch}/sources.list`,
        "-o", `Dir::Etc::SourceParts=${scratch}/none`,
        "-o", `Dir::State::Lists=${scratch}/lists`,
      ];
      return {
        options,
        directories: ["lists/partial"],
        files: { "sources.list": `deb [trusted=yes] file:${folder} ./\n` },
        index: [...APT, ...options, "update"],
      };
    },
  },
  dnfLike("dnf"),
  dnfLike("yum"),
  {
    name: "zypper",
    query: rpmQuery,
    outdated: async (ctx, names) => namesFrom((await probe(ctx, ["zypper", "-q", "list-updates"])).stdout, /^v\s*\|[^|]*\|\s*(\S+)\s*\|/, names),
    pinned: (pkg, version) => `${pkg}=${version}`,
    install: (pkgs, extra) => ["zypper", "--non-interactive", "install", ...extra, ...pkgs],
    upgrade: (pkgs, extra) => ["zypper", "--non-interactive", "update", ...extra, ...pkgs],
    remove: (pkgs, extra) => ["zypper", "--non-interactive", "remove", ...extra, ...pkgs],
    upgradeAll: (extra) => ["zypper", "--non-interactive", "update", ...extra],
    updateCache: ["zypper", "--non-interactive", "refresh"],
    localKind: "rpm",
  },
  {
    name: "apk",
    query: async (ctx, names) => {
      const { stdout } = await probe(ctx, ["apk", "info", "-e", "-v", ...names]);
      return new Map(names.flatMap((n) => {
        const version = new RegExp(`^${n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-(\\d\\S*)$`, "m").exec(stdout)?.[1];
        return version === undefined ? [] : [[n, version] as const];
      }));
    },
    outdated: async (ctx, names, options) => namesFrom((await probe(ctx, ["apk", "version", ...options, "-l", "<", ...names])).stdout, /^(\S+?)-\d\S*\s+</, names),
    pinned: (pkg, version) => `${pkg}=${version}`,
    install: (pkgs, extra) => ["apk", "add", ...extra, ...pkgs],
    upgrade: (pkgs, extra) => ["apk", "add", "-u", ...extra, ...pkgs],
    remove: (pkgs, extra) => ["apk", "del", ...extra, ...pkgs],
    upgradeAll: (extra) => ["apk", "upgrade", ...extra],
    updateCache: ["apk", "update"],
    cacheStamp: "/var/cache/apk",
    localRepository: (folder) => ({ options: ["--repositories-file", "/dev/null", "--repository", folder, "--allow-untrusted"] }),
  },
  {
    name: "pacman",
    query: async (ctx, names) => versionsFrom((await probe(ctx, ["pacman", "-Q", ...names])).stdout, /^(\S+) (\S+)$/, names),
    outdated: async (ctx, names) => namesFrom((await probe(ctx, ["pacman", "-Qu", ...names])).stdout, /^(\S+) /, names),
    install: (pkgs, extra) => ["pacman", "-S", "--noconfirm", "--needed", ...extra, ...pkgs],
    upgrade: (pkgs, extra) => ["pacman", "-S", "--noconfirm", ...extra, ...pkgs],
    remove: (pkgs, extra) => ["pacman", "-R", "--noconfirm", ...extra, ...pkgs],
    upgradeAll: (extra) => ["pacman", "-Su", "--noconfirm", ...extra],
    updateCache: ["pacman", "-Sy"],
    cacheStamp: "/var/lib/pacman/sync",
  },
  {
    name: "brew",
    query: async (ctx, names) => versionsFrom((await probe(ctx, ["brew", "list", "--versions", ...names])).stdout, /^(\S+) (\S+)/, names),
    outdated: async (ctx, names) => namesFrom((await probe(ctx, ["brew", "outdated", "--quiet", ...names])).stdout, /^(\S+)$/, names),
    install: (pkgs, extra) => ["brew", "install", ...extra, ...pkgs],
    upgrade: (pkgs, extra) => ["brew", "upgrade", ...extra, ...pkgs],
    remove: (pkgs, extra) => ["brew", "uninstall", ...extra, ...pkgs],
    upgradeAll: (extra) => ["brew", "upgrade", ...extra],
    updateCache: ["brew", "update"],
  },
];

export const MANAGER_NAMES = MANAGERS.map((m) => m.name);

export function findManager(name: string): PackageManager | undefined {
  return MANAGERS.find((m) => m.name === name);
}
