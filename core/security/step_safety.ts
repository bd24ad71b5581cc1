import { basename, dirname, join, resolve } from "node:path";
import type { ActionSpec, StepSettings, Touch } from "../exec/action.ts";
import { globMatches, isGlob } from "../fs/glob_matches.ts";
import { realPathOfExisting } from "../fs/no_follow.ts";
import { commandPattern } from "./command_pattern.ts";
import { machineProtectedPaths, type ProtectedPathSources } from "./danger.ts";
import { DANGER_CATEGORIES, within, type SeenTouch } from "./danger_categories.ts";
import { describeSource, type RuleSource, type SafetyPolicy } from "./safety_policy.ts";

/**
 * One safety rule applied to one thing a step does. `refused` stops the step before anything
 * runs: with error kind `policy` for the policy's rules (commands, workspace), which no flag
 * lifts, and `danger` for a danger category, which --i-accept-danger lifts.
 */
export interface SafetyVerdict {
  /** `commands.deny`, `commands.allow`, `workspace`, or `category:<name>`. */
  rule: string;
  /** Where the rule is written; none for a built-in category. */
  from?: RuleSource;
  refused: boolean;
  kind: "policy" | "danger";
  /** What the step would do that the rule judges: `write "/etc/fstab"`, `run "curl x | sh"`. */
  act: string;
  /** Why the rule refuses it or lets it through: `it is boot configuration (danger category "boot": ...)`. */
  why: string;
  /** The refusal as a step's error (`Refusing to write "/etc/x": ...`), or the act and why it passes. */
  message: string;
}

export interface SafetyOptions {
  acceptDanger: boolean;
  /** The directories of the config files the step comes from, which removals must spare. */
  configDirectories?: readonly string[];
  /** The protected paths of removals; read from the machine (only when a step removes) when not given. */
  protectedPaths?: ProtectedPathSources;
  /**
   * Real paths of directories already looked up, shared by the calls of one pass over a plan
   * (whose steps do not change the machine in between); a run looks again for each step.
   */
  realPaths?: Map<string, string>;
}

/** What a step runs and touches: its action's touches and its `unless` probe. */
export function stepTouches(action: ActionSpec, args: unknown, settings: Pick<StepSettings, "unless">): Touch[] {
  return [...(action.touches?.(args) ?? []), ...(settings.unless !== undefined ? [{ kind: "run" as const, command: settings.unless }] : [])];
}

/**
 * Every safety rule that applies to what a step runs and touches, passed or refused, in the
 * order they are judged: categories, then deny, allow and workspace. Paths are judged where
 * they really are (parent links resolved, a glob's matches listed), so this reads the machine.
 * Example: `safetyVerdicts(stepTouches(action, args, settings), policy, { acceptDanger: false })
 * .find((v) => v.refused)` is what stops the step.
 */
export function safetyVerdicts(touches: readonly Touch[], policy: SafetyPolicy, options: SafetyOptions): SafetyVerdict[] {
  const verdicts: SafetyVerdict[] = [];
  let sources = options.protectedPaths;
  const protectedPaths = () => (sources ??= machineProtectedPaths(options.configDirectories));
  const real = realPathsOf(options.realPaths ?? new Map());
  for (const seen of touches.map((t) => see(t, real))) {
    verdicts.push(...categoryVerdicts(seen, policy, options.acceptDanger, protectedPaths));
    if (seen.touch.kind === "run") verdicts.push(...commandVerdicts(seen, policy));
    else if (seen.touch.kind === "write" || seen.touch.kind === "remove" || seen.touch.kind === "fill") verdicts.push(...workspaceVerdicts(seen, policy, real));
  }
  return verdicts;
}

/** The first refusal among the verdicts, if any. */
export function safetyRefusal(touches: readonly Touch[], policy: SafetyPolicy, options: SafetyOptions): SafetyVerdict | undefined {
  return safetyVerdicts(touches, policy, options).find((v) => v.refused);
}

/** How paths are taken where they really are; a path that cannot be looked up is taken as written (its action says why). */
interface RealPaths {
  /** The path with its parent directories resolved, a link at its end kept (what a no-follow write or a removal acts on). */
  parent(path: string): string;
  /** The path with every link followed. */
  full(path: string): string;
}

function realPathsOf(memo: Map<string, string>): RealPaths {
  const full = (path: string): string => {
    const absolute = resolve(path);
    let real = memo.get(absolute);
    if (real === undefined) {
      try {
        real = realPathOfExisting(absolute);
      } catch {
        real = absolute;
      }
      memo.set(absolute, real);
    }
    return real;
  };
  return { full, parent: (path) => {
    const absolute = resolve(path);
    const parent = dirname(absolute);
    return parent === absolute ? absolute : join(full(parent), basename(absolute));
  } };
}

function see(touch: Touch, real: RealPaths): SeenTouch {
  switch (touch.kind) {
    case "run":
      return { touch, doing: "run", subject: touch.command, real: [], removes: false };
    case "write":
      return { touch, doing: "write", subject: touch.path, real: [touch.follow ? real.full(touch.path) : real.parent(touch.path)], removes: false };
    case "remove": {
      const paths = touch.glob && isGlob(touch.path) ? globMatchesOrBase(touch.path) : [real.parent(touch.path)];
      return { touch, doing: "remove", subject: touch.path, real: paths, removes: true };
    }
    case "fill": {
      const doing = touch.how === "extract" ? "extract into" : touch.how === "sync_delete" ? "sync with delete into" : "sync into";
      return { touch, doing, subject: touch.path, real: [real.full(touch.path)], removes: touch.how === "sync_delete" };
    }
    case "package":
      return { touch, doing: { install: "install", remove: "remove", latest: "upgrade", pin: "install a pinned version of" }[touch.change] + " package", subject: touch.name, real: [], removes: touch.change === "remove" };
    case "service":
      return { touch, doing: "manage service", subject: touch.name, real: [], removes: false };
  }
}

function globMatchesOrBase(pattern: string): string[] {
  try {
    return globMatches(pattern);
  } catch {
    return [resolve(pattern)];
  }
}

function categoryVerdicts(seen: SeenTouch, policy: SafetyPolicy, acceptDanger: boolean, protectedPaths: () => ProtectedPathSources): SafetyVerdict[] {
  return DANGER_CATEGORIES.flatMap((category) => {
    const confirmedBy = policy.confirm.find((c) => c.category === category.name)?.from;
    if (!category.builtIn && !confirmedBy) return [];
    const hit = category.judge(seen, protectedPaths);
    if (!hit) return [];
    const by = confirmedBy && !category.builtIn ? `, confirmed by ${describeSource(confirmedBy)}` : "";
    const why = `${hit.reason} (danger category "${category.name}"${by}: ${acceptDanger ? "accepted by --i-accept-danger" : "run with --i-accept-danger to allow it"})`;
    return [verdict(`category:${category.name}`, !acceptDanger, "danger", `${seen.doing} "${hit.subject}"`, why, confirmedBy && !category.builtIn ? confirmedBy : undefined)];
  });
}

function verdict(rule: string, refused: boolean, kind: SafetyVerdict["kind"], act: string, why: string, from: RuleSource | undefined): SafetyVerdict {
  return { rule, ...(from ? { from } : {}), refused, kind, act, why, message: refused ? `Refusing to ${act}: ${why}` : `${act}: ${why}` };
}

function commandVerdicts(seen: SeenTouch, policy: SafetyPolicy): SafetyVerdict[] {
  if (policy.deny.length === 0 && policy.allow.length === 0) return [];
  const line = seen.subject;
  const act = `run "${oneLine(line)}"`;
  const verdicts: SafetyVerdict[] = [];
  for (const { pattern, from } of policy.deny) {
    if (commandPattern(pattern, "deny")(line)) verdicts.push(verdict("commands.deny", true, "policy", act, `it matches "${pattern}" in commands.deny of ${describeSource(from)}`, from));
  }
  for (const { patterns, from } of policy.allow) {
    const match = patterns.find((p) => commandPattern(p, "allow")(line));
    verdicts.push(match !== undefined
      ? verdict("commands.allow", false, "policy", act, `it matches "${match}" in commands.allow of ${describeSource(from)}`, from)
      : verdict("commands.allow", true, "policy", act, `no pattern of commands.allow in ${describeSource(from)} matches it`, from));
  }
  return verdicts;
}

function workspaceVerdicts(seen: SeenTouch, policy: SafetyPolicy, real: RealPaths): SafetyVerdict[] {
  return policy.workspaces.map(({ paths, from }) => {
    const roots = paths.flatMap((p) => [resolve(p), real.full(p)]);
    const outside = seen.real.find((real) => !roots.some((root) => within(real, root)));
    const listed = paths.join(", ") || "no directory";
    const act = `${seen.doing} "${seen.subject}"`;
    if (outside === undefined) return verdict("workspace", false, "policy", act, `it is inside the workspace of ${describeSource(from)} (${listed})`, from);
    const where = outside === resolve(seen.subject) ? "it is" : `its real path "${outside}" is`;
    return verdict("workspace", true, "policy", act, `${where} outside the workspace of ${describeSource(from)} (${listed})`, from);
  });
}

/** A command as one line in a message: its first line, and how many follow. */
function oneLine(command: string): string {
  const lines = command.trim().split("\n");
  return lines.length === 1 ? lines[0]! : `${lines[0]} ... (${lines.length - 1} more lines)`;
}
