import { resolve, sep } from "node:path";
import type { Touch } from "../exec/action.ts";
import { removalDanger, type ProtectedPathSources } from "./danger.ts";

/**
 * A touch seen on the machine: what the step would do (`doing`, as in "Refusing to <doing>"),
 * the path or command it names, and for a path the real paths it reaches (a glob's matches).
 */
export interface SeenTouch {
  touch: Touch;
  doing: string;
  subject: string;
  real: readonly string[];
  /** Whether the touch removes what is at its paths (and so everything below them). */
  removes: boolean;
}

/** Why a touch falls in a category: the path or command concerned and the reason, in words. */
export interface CategoryHit {
  subject: string;
  reason: string;
}

export interface DangerCategory {
  name: string;
  /** Built-in categories always need --i-accept-danger; the others only when a policy's `confirm` names them. */
  builtIn: boolean;
  summary: string;
  judge(seen: SeenTouch, protectedPaths: () => ProtectedPathSources): CategoryHit | undefined;
}

const BOOT_PATHS = ["/boot", "/etc/default/grub", "/etc/grub.d", "/etc/fstab", "/etc/crypttab"];
const USER_PATHS = ["/etc/shadow", "/etc/gshadow"];
const SUDOERS = "/etc/sudoers";
const DRIVER_PACKAGE = /^(linux-image-|nvidia-|cuda-drivers)/;

/** Every danger category, the built-in ones first: docs/safety.md describes each. */
export const DANGER_CATEGORIES: readonly DangerCategory[] = [
  {
    name: "protected_paths",
    builtIn: true,
    summary: "removing /, a system directory, a home or the config's directory (or emptying one by a glob, sync with delete or an archive extracted over it)",
    judge: (seen, protectedPaths) => {
      const { touch } = seen;
      let danger;
      if (touch.kind === "remove") danger = touch.glob ? removalDanger(seen.real, protectedPaths(), "matches") : removalDanger([touch.path], protectedPaths(), "entries");
      else if (touch.kind === "fill" && touch.how !== "sync") danger = removalDanger([touch.path], protectedPaths(), "contents");
      return danger && { subject: danger.path, reason: danger.reason };
    },
  },
  {
    name: "boot",
    builtIn: true,
    summary: `boot configuration: ${BOOT_PATHS.join(", ")}`,
    judge: (seen) => pathHit(seen, (p) => BOOT_PATHS.find((b) => within(p, b) || (seen.removes && within(b, p))), "boot configuration"),
  },
  {
    name: "drivers",
    builtIn: true,
    summary: "removing, upgrading to latest or pinning a version of a kernel or GPU driver package (linux-image-*, nvidia-*, cuda-drivers*)",
    judge: ({ touch }) => touch.kind === "package" && touch.change !== "install" && DRIVER_PACKAGE.test(touch.name)
      ? { subject: touch.name, reason: "it is a kernel or GPU driver package" }
      : undefined,
  },
  {
    name: "users",
    builtIn: true,
    summary: `who may log in and become root: ${SUDOERS}*, ${USER_PATHS.join(", ")}`,
    judge: (seen) => pathHit(seen, (p) => {
      if (p.startsWith(SUDOERS)) return p;
      return [...USER_PATHS, SUDOERS].find((u) => within(p, u) || (seen.removes && within(u, p)));
    }, "user and sudo configuration"),
  },
  {
    name: "packages",
    builtIn: false,
    summary: "any package step: installing, upgrading or removing packages",
    judge: ({ touch }) => touch.kind === "package" ? { subject: touch.name, reason: "it changes the installed packages" } : undefined,
  },
  {
    name: "services",
    builtIn: false,
    summary: "any service step: starting, stopping, enabling or disabling a service",
    judge: ({ touch }) => touch.kind === "service" ? { subject: touch.name, reason: "it manages a service" } : undefined,
  },
  {
    name: "etc",
    builtIn: false,
    summary: "writing or removing anything in /etc",
    judge: (seen) => pathHit(seen, (p) => (within(p, "/etc") || (seen.removes && within("/etc", p)) ? "/etc" : undefined), "system configuration"),
  },
  {
    name: "deletes",
    builtIn: false,
    summary: "removing files: file state absent, sync with delete",
    judge: (seen) => seen.removes ? { subject: seen.subject, reason: "it removes files" } : undefined,
  },
];

/**
 * The first real path of a path touch that `find` places in the category (`find` returns the
 * category's path it is in or holds), as a hit: `it is boot configuration "/etc/fstab"`,
 * `it is in boot configuration "/boot"`, `it holds boot configuration "/etc/default/grub"`.
 */
function pathHit(seen: SeenTouch, find: (real: string) => string | undefined, what: string): CategoryHit | undefined {
  const { touch } = seen;
  if (touch.kind !== "write" && touch.kind !== "remove" && touch.kind !== "fill") return undefined;
  // As written too: a category path reached through a link (`/boot -> /mnt/boot`) is still it.
  const written = touch.kind === "remove" && touch.glob ? [] : [resolve(touch.path)];
  for (const real of [...seen.real, ...written]) {
    // Every category path is in /etc or /boot: most paths are neither, nor above them.
    if (!seen.removes && !real.startsWith("/etc") && !real.startsWith("/boot")) continue;
    const found = find(real);
    if (found === undefined) continue;
    const reason = real !== found ? (within(real, found) ? `it is in ${what} "${found}"` : `it holds ${what} "${found}"`)
      : real === resolve(seen.subject) ? `it is ${what}` : `it is ${what} "${found}"`;
    return { subject: seen.subject, reason };
  }
  return undefined;
}

/** Whether `path` is `root` or below it. */
export function within(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}
