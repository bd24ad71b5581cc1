import { Type, type Static } from "@sinclair/typebox";
import { join } from "node:path";
import { Flag, NonEmptyString, Path, Strict } from "../core/config/schema_types.ts";
import type { ActionContext, ActionSpec } from "../core/exec/action.ts";
import { applyService, compareFile, fileText, planChange, type ServicePlan } from "./service_files.ts";

export const LaunchdArgs = Strict({
  label: NonEmptyString,
  plist_content: Type.Optional(Type.String()),
  plist_src_template: Type.Optional(Path),
  state: Type.Optional(Type.Union([Type.Literal("loaded"), Type.Literal("unloaded")])),
  enabled: Type.Optional(Flag()),
  scope: Type.Optional(Type.Union([Type.Literal("user"), Type.Literal("system")], { description: "user: an agent in ~/Library/LaunchAgents (default); system: a daemon in /Library/LaunchDaemons (needs become)" })),
});
type LaunchdArgs = Static<typeof LaunchdArgs>;

const plans = new WeakMap<object, ServicePlan>();

/**
 * launchd jobs: the plist written when it differs, `launchctl bootstrap`/`bootout` only when
 * `launchctl print` says the job's loaded state differs (a changed plist of a loaded job is
 * booted out and in again), `enable`/`disable` only when `print-disabled` differs. Paths go
 * under MOONCAKE_LAUNCHD_ROOT when it is set.
 */
export const launchd: ActionSpec<LaunchdArgs> = {
  name: "launchd",
  summary: "Manage a launchd agent or daemon: its plist, loaded state and enablement",
  schema: LaunchdArgs,
  platforms: ["darwin"],
  phase: "run",
  pathFields: ["plist_src_template"],
  templateFields: ["plist_src_template"],
  touches: (args) => [
    { kind: "service", name: args.label },
    ...(writesPlist(args) ? [{ kind: "write" as const, path: job(args).plistPath }] : []),
  ],
  async check(ctx, args) {
    const plan = await planJob(ctx, args);
    plans.set(args, plan);
    return planChange(ctx, plan, args.label, "launchctl");
  },
  apply: (ctx, args) => applyService(ctx, plans.get(args)!, "launchd", "launchctl"),
};

/** The job's launchd domain, its target and where its plist goes (under MOONCAKE_LAUNCHD_ROOT when it is set). */
function job(args: LaunchdArgs): { domain: string; target: string; plistPath: string } {
  const system = args.scope === "system";
  const root = process.env.MOONCAKE_LAUNCHD_ROOT;
  const dir = system ? join(root ?? "/", "Library/LaunchDaemons") : join(root ?? process.env.HOME ?? "/", "Library/LaunchAgents");
  const domain = system ? "system" : `gui/${process.getuid?.() ?? 0}`;
  return { domain, target: `${domain}/${args.label}`, plistPath: join(dir, `${args.label}.plist`) };
}

function writesPlist(args: LaunchdArgs): boolean {
  return args.plist_content !== undefined || args.plist_src_template !== undefined;
}

async function planJob(ctx: ActionContext, args: LaunchdArgs): Promise<ServicePlan> {
  const { domain, target, plistPath } = job(args);
  const files = writesPlist(args)
    ? [compareFile(plistPath, fileText({ content: args.plist_content, src_template: args.plist_src_template }, ctx.vars, "launchd plist"))]
    : [];
  const changed = files.some((f) => f.state !== "same");
  const commands: string[][] = [];
  const reasons: string[] = files.length && !changed ? ["plist unchanged"] : [];
  if (args.state !== undefined) {
    const loaded = (await ctx.run(["launchctl", "print", target], { probe: true })).rc === 0;
    if (args.state === "loaded" && loaded && changed) commands.push(["bootout", target], ["bootstrap", domain, plistPath]);
    else if (args.state === "loaded" && !loaded) commands.push(["bootstrap", domain, plistPath]);
    else if (args.state === "unloaded" && loaded) commands.push(["bootout", target]);
    else reasons.push(loaded ? `${args.label} is loaded` : `${args.label} is not loaded`);
  }
  if (args.enabled !== undefined) {
    const listing = (await ctx.run(["launchctl", "print-disabled", domain], { probe: true })).stdout.text;
    const disabled = new RegExp(`"${args.label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}" => (true|disabled)`).test(listing);
    if (args.enabled === disabled) commands.unshift([args.enabled ? "enable" : "disable", target]);
    else reasons.push(disabled ? `${args.label} is disabled` : `${args.label} is enabled`);
  }
  return { files, commands, reasons };
}
