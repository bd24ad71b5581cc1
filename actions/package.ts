import { Type, type Static } from "@sinclair/typebox";
import { Duration, Flag, NonEmptyString, Path, Strict } from "../core/config/schema_types.ts";
import { Templated } from "../core/config/templated.ts";
import { ActionError, MissingInputError, type ActionContext, type ActionSpec, type Change } from "../core/exec/action.ts";
import { parseDuration } from "../core/exec/duration.ts";
import { statIfExists } from "../core/fs/stat_if_exists.ts";
import { withLocalRepository } from "./local_repository.ts";
import { findManager, MANAGER_NAMES, type PackageManager } from "./package_managers.ts";
import { applyProcess } from "./process_action.ts";

const Names = Type.Array(NonEmptyString, { minItems: 1 });

const PackageArgs = Strict({
  name: Type.Optional(Type.Union([NonEmptyString, Names], { description: "A package or a list of packages" })),
  names: Type.Optional(Templated(Type.Array(NonEmptyString, { minItems: 1, description: "A list of packages; or one {{ tag }} giving that list" }))),
  state: Type.Optional(Type.Union([Type.Literal("present"), Type.Literal("absent"), Type.Literal("latest")], { description: "present (default), absent, or latest" })),
  version: Type.Optional(NonEmptyString),
  manager: Type.Optional(Type.Union(["auto", ...MANAGER_NAMES].map((m) => Type.Literal(m)), { description: "The package manager (default auto: the package_manager fact)" })),
  update_cache: Type.Optional(Flag("Refresh the package lists before installing")),
  cache_valid_time: Type.Optional(Duration),
  upgrade: Type.Optional(Flag("Upgrade every installed package")),
  extra: Type.Optional(Type.Array(Type.String(), { description: "Extra arguments for the package manager's command" })),
  deb: Type.Optional(Type.Union([Path, Type.Array(Path, { minItems: 1 })], { description: "Local .deb files to install (air-gapped)" })),
  rpm: Type.Optional(Type.Union([Path, Type.Array(Path, { minItems: 1 })], { description: "Local .rpm files to install (air-gapped)" })),
  repo: Type.Optional(Type.String({ minLength: 1, description: "A local repository folder (air-gapped) that alone resolves the packages and their dependencies: apt (a flat repository with Packages), dnf (createrepo), apk (APKINDEX); relative to the declaring file" })),
});
type PackageArgs = Static<typeof PackageArgs>;

/** What one package step must do, decided from the package database. */
interface Work {
  manager: PackageManager;
  refresh?: string;
  install: string[];
  upgrade: string[];
  remove: string[];
  upgradeAll: string[];
  /** Per-package notes for the reason: "curl: not installed". */
  notes: string[];
}

async function decide(ctx: ActionContext, args: PackageArgs, manager: PackageManager, repoOptions: readonly string[]): Promise<Work> {
  const names = [...[args.name ?? []].flat(), ...(args.names ?? [])];
  const files = localFiles(args, manager);
  if (names.length === 0 && files.length === 0 && !args.upgrade && !args.update_cache) {
    throw new ActionError("validation", "package: give name, names, deb or rpm (or upgrade: true)");
  }
  if (args.version !== undefined && names.length !== 1) throw new ActionError("validation", "package: version pins one package: give exactly one name with it");
  if (args.version !== undefined && !manager.pinned) throw new ActionError("validation", `package: ${manager.name} cannot install a given version; leave out version`);
  if (args.repo !== undefined && args.update_cache) throw new ActionError("validation", "package: a local repository (repo:) is indexed afresh on every run; leave out update_cache");

  const work: Work = { manager, install: [], upgrade: [], remove: [], upgradeAll: [], notes: [] };
  const state = args.state ?? "present";
  const fileInfo = await Promise.all(files.map((f) => localPackage(ctx, manager, f)));
  const installed = await manager.query(ctx, [...names, ...fileInfo.map((f) => f.name)]);

  for (const name of names) {
    const have = installed.get(name);
    if (state === "absent") {
      if (have !== undefined) {
        work.remove.push(name);
        work.notes.push(`${name}: installed (${have})`);
      }
    } else if (have === undefined) {
      work.install.push(args.version ? manager.pinned!(name, args.version) : name);
      work.notes.push(`${name}: not installed`);
    } else if (args.version !== undefined && !versionMatches(have, args.version)) {
      work.install.push(manager.pinned!(name, args.version));
      work.notes.push(`${name}: ${have} installed, ${args.version} wanted`);
    }
  }
  if (state === "latest") {
    const current = names.filter((n) => installed.has(n));
    for (const name of current.length ? await manager.outdated(ctx, current, repoOptions) : []) {
      work.upgrade.push(name);
      work.notes.push(`${name}: ${installed.get(name)} installed, a newer version is available`);
    }
  }
  for (const file of fileInfo) {
    const have = installed.get(file.name);
    if (have === file.version) continue;
    work.install.push(file.path);
    work.notes.push(`${file.name}: ${have === undefined ? "not installed" : `${have} installed`}, ${file.version} in ${file.path}`);
  }
  if (args.upgrade) {
    const outdated = await manager.outdated(ctx, [], repoOptions);
    if (outdated.length) {
      work.upgradeAll.push(...outdated);
      work.notes.push(`upgrade: ${outdated.length} package${outdated.length === 1 ? "" : "s"} can be upgraded`);
    }
  }
  if (args.update_cache) work.refresh = cacheRefreshReason(manager, args, work);
  return work;
}

function managerFor(ctx: ActionContext, args: PackageArgs): PackageManager {
  const wanted = args.manager && args.manager !== "auto" ? args.manager : String(ctx.vars.package_manager ?? "");
  if (!wanted) throw new ActionError("validation", "package: no package manager found on this machine (set manager:)");
  const manager = findManager(wanted);
  if (!manager) throw new ActionError("validation", `package: the package manager "${wanted}" is not supported (supported: ${MANAGER_NAMES.join(", ")})`);
  return manager;
}

function localFiles(args: PackageArgs, manager: PackageManager): string[] {
  for (const kind of ["deb", "rpm"] as const) {
    if (args[kind] !== undefined && manager.localKind !== kind) throw new ActionError("validation", `package: ${manager.name} does not install .${kind} files`);
  }
  return [args.deb ?? args.rpm ?? []].flat();
}

/** The name and version inside a local package file. */
async function localPackage(ctx: ActionContext, manager: PackageManager, path: string): Promise<{ path: string; name: string; version: string }> {
  if (!statIfExists(path)?.isFile()) throw new MissingInputError(path, `Cannot install "${path}": no such file`);
  const argv = manager.localKind === "deb" ? ["dpkg-deb", "-f", path, "Package", "Version"] : ["rpm", "-qp", "--qf", "Package: %{NAME}\\nVersion: %{VERSION}-%{RELEASE}\\n", path];
  const result = await ctx.run(argv, { probe: true });
  const name = /^Package: (\S+)$/m.exec(result.stdout.text)?.[1];
  const version = /^Version: (\S+)$/m.exec(result.stdout.text)?.[1];
  if (result.rc !== 0 || !name || !version) throw new ActionError("validation", `Cannot read the package "${path}": ${result.stderr.text.trim() || "not a package file"}`);
  return { path, name, version };
}

/** Why the lists are refreshed, or undefined when they are fresh enough and nothing is to be installed. */
function cacheRefreshReason(manager: PackageManager, args: PackageArgs, work: Work): string | undefined {
  const validMs = args.cache_valid_time ? parseDuration(args.cache_valid_time) : undefined;
  const stamp = manager.cacheStamp ? statIfExists(manager.cacheStamp) : undefined;
  const ageMs = stamp ? Date.now() - stamp.mtimeMs : undefined;
  if (validMs !== undefined && (ageMs === undefined || ageMs > validMs)) {
    return `package lists ${ageMs === undefined ? "never refreshed" : `refreshed ${Math.round(ageMs / 60_000)} min ago`}, older than cache_valid_time ${args.cache_valid_time}`;
  }
  if (validMs === undefined && (work.install.length || work.upgrade.length || work.upgradeAll.length)) return "update_cache before installing";
  return undefined;
}

/** `2.10-3` matches the pin `2.10-3`, and `2.10*` (apt's glob) too. */
function versionMatches(installed: string, pin: string): boolean {
  return pin.endsWith("*") ? installed.startsWith(pin.slice(0, -1)) : installed === pin;
}

/** The command lines of the work, in the order they run. */
function commands(work: Work, extra: readonly string[]): string[][] {
  const { manager } = work;
  return [
    ...(work.refresh ? [manager.updateCache] : []),
    ...(work.remove.length ? [manager.remove(work.remove, extra)] : []),
    ...(work.install.length ? [manager.install(work.install, extra)] : []),
    ...(work.upgrade.length ? [manager.upgrade(work.upgrade, extra)] : []),
    ...(work.upgradeAll.length ? [manager.upgradeAll(extra)] : []),
  ];
}

function changeOf(ctx: ActionContext, work: Work, extra: readonly string[]): Change {
  const argvs = commands(work, extra);
  if (argvs.length === 0) return { kind: "none", reason: `${work.manager.name}: every package is as wanted` };
  const kind = work.remove.length && !work.install.length && !work.upgrade.length ? "delete" : work.install.length && !work.upgrade.length && !work.remove.length ? "create" : "update";
  const reason = [...(work.refresh ? [work.refresh] : []), ...work.notes].join("; ");
  return { kind, reason, detail: argvs.map((a) => ctx.describe(a)).join(" && ") };
}

export const packageAction: ActionSpec<PackageArgs> = {
  name: "package",
  summary: "Install, upgrade or remove system packages (apt, dnf, yum, zypper, apk, pacman, brew)",
  schema: PackageArgs,
  platforms: ["linux", "darwin"],
  phase: "run",
  pathFields: ["deb", "rpm", "repo"],
  touches: (args) => {
    const change = args.state === "absent" ? "remove" : args.state === "latest" ? "latest" : args.version !== undefined ? "pin" : "install";
    return [...[args.name ?? []].flat(), ...(args.names ?? [])].map((name) => ({ kind: "package", name, change }));
  },
  check: (ctx, args) => {
    const manager = managerFor(ctx, args);
    return withLocalRepository(ctx, manager, args.repo, async (options) => changeOf(ctx, await decide(ctx, args, manager, options), [...options, ...(args.extra ?? [])]));
  },
  apply: (ctx, args) => {
    const manager = managerFor(ctx, args);
    return withLocalRepository(ctx, manager, args.repo, async (options) => {
      const work = await decide(ctx, args, manager, options);
      let outcome = { changed: false } as Awaited<ReturnType<typeof applyProcess>>;
      for (const argv of commands(work, [...options, ...(args.extra ?? [])])) {
        outcome = await applyProcess(ctx, argv, {});
        if (outcome.error) return outcome;
      }
      return { ...outcome, data: { installed: work.install, upgraded: [...work.upgrade, ...work.upgradeAll], removed: work.remove } };
    });
  },
};
