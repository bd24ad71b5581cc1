import { Type, type Static } from "@sinclair/typebox";
import { join } from "node:path";
import { Flag, Mode, NonEmptyString, Path, Strict } from "../core/config/schema_types.ts";
import type { ActionContext, ActionSpec } from "../core/exec/action.ts";
import { applyService, compareFile, fileText, planChange, type ManagedFile, type ServicePlan } from "./service_files.ts";

const states = ["started", "stopped", "restarted", "reloaded"] as const;

export const SystemdArgs = Strict({
  name: NonEmptyString,
  state: Type.Optional(Type.Union(states.map((s) => Type.Literal(s)))),
  enabled: Type.Optional(Flag()),
  daemon_reload: Type.Optional(Flag("Run daemon-reload when the unit or drop-in changed (default true)")),
  restart_on_change: Type.Optional(Flag("Restart an active service when its unit or drop-in changed, so it runs with them")),
  unit: Type.Optional(Strict({
    dest: Type.Optional(Type.String({ minLength: 1, description: "Default /etc/systemd/system/<name>.service" })),
    content: Type.Optional(Type.String()),
    src_template: Type.Optional(Path),
    mode: Type.Optional(Mode),
  })),
  dropin: Type.Optional(Strict({ name: NonEmptyString, content: Type.Optional(Type.String()), src_template: Type.Optional(Path) })),
});
type SystemdArgs = Static<typeof SystemdArgs>;

const plans = new WeakMap<object, ServicePlan>();

/**
 * systemd units: the unit file and a drop-in written when they differ, `daemon-reload` only
 * then, and start/stop/enable/disable only when `systemctl is-active` / `is-enabled` say the
 * state differs (`restarted` and `reloaded` always act). Files go under MOONCAKE_SYSTEMD_ROOT
 * when it is set, so tests can point them at a temp dir.
 */
export const systemd: ActionSpec<SystemdArgs> = {
  name: "systemd",
  summary: "Manage a systemd service: its unit file, a drop-in, state and enablement",
  schema: SystemdArgs,
  platforms: ["linux"],
  phase: "run",
  pathFields: ["unit.src_template", "dropin.src_template"],
  templateFields: ["unit.src_template", "dropin.src_template"],
  touches: (args) => [
    { kind: "service", name: unitName(args.name) },
    ...Object.values(unitFiles(args)).map((path) => ({ kind: "write" as const, path })),
  ],
  async check(ctx, args) {
    const plan = await planService(ctx, args);
    plans.set(args, plan);
    return planChange(ctx, plan, unitName(args.name), "systemctl");
  },
  apply: (ctx, args) => applyService(ctx, plans.get(args)!, "systemd", "systemctl"),
};

/** `nginx` -> `nginx.service`; a name with a suffix (`x.timer`, `y.socket`) is already a unit. */
export function unitName(name: string): string {
  return /\.[a-z]+$/.test(name) ? name : `${name}.service`;
}

/** The unit file and drop-in the step writes, under MOONCAKE_SYSTEMD_ROOT when it is set. */
function unitFiles(args: SystemdArgs): { unit?: string; dropin?: string } {
  const root = process.env.MOONCAKE_SYSTEMD_ROOT ?? "/";
  const unit = unitName(args.name);
  const files: { unit?: string; dropin?: string } = {};
  if (args.unit && (args.unit.content !== undefined || args.unit.src_template !== undefined)) files.unit = join(root, args.unit.dest ?? `/etc/systemd/system/${unit}`);
  if (args.dropin) files.dropin = join(root, `/etc/systemd/system/${unit}.d/${args.dropin.name.endsWith(".conf") ? args.dropin.name : `${args.dropin.name}.conf`}`);
  return files;
}

async function planService(ctx: ActionContext, args: SystemdArgs): Promise<ServicePlan> {
  const unit = unitName(args.name);
  const paths = unitFiles(args);
  const files: ManagedFile[] = [];
  if (args.unit && paths.unit !== undefined) {
    const mode = typeof args.unit.mode === "string" ? parseInt(args.unit.mode, 8) : args.unit.mode;
    files.push(compareFile(paths.unit, fileText(args.unit, ctx.vars, "systemd unit"), mode));
  }
  if (args.dropin && paths.dropin !== undefined) files.push(compareFile(paths.dropin, fileText(args.dropin, ctx.vars, "systemd drop-in")));
  const commands: string[][] = [];
  const reasons: string[] = [];
  const filesChanged = files.some((f) => f.state !== "same");
  if (filesChanged && args.daemon_reload !== false) commands.push(["daemon-reload"]);
  if (files.length > 0 && !filesChanged) reasons.push("unit files unchanged");
  if (args.state !== undefined) {
    const active = (await query(ctx, ["is-active", unit])) === "active";
    if (args.state === "started" && !active) commands.push(["start", unit]);
    else if (args.state === "started" && filesChanged && args.restart_on_change) commands.push(["restart", unit]);
    else if (args.state === "stopped" && active) commands.push(["stop", unit]);
    else if (args.state === "restarted") commands.push(["restart", unit]);
    else if (args.state === "reloaded") commands.push(["reload", unit]);
    else reasons.push(active ? `${unit} is active` : `${unit} is not active`);
  }
  if (args.enabled !== undefined) {
    const enabled = (await query(ctx, ["is-enabled", unit])) === "enabled";
    if (args.enabled !== enabled) commands.push([args.enabled ? "enable" : "disable", unit]);
    else reasons.push(enabled ? `${unit} is enabled` : `${unit} is not enabled`);
  }
  return { files, commands, reasons };
}

/** `systemctl is-active` / `is-enabled` answer on stdout with a non-zero code for "no"; both are answers. */
async function query(ctx: ActionContext, argv: string[]): Promise<string> {
  const result = await ctx.run(["systemctl", ...argv], { probe: true });
  if (result.error) throw new Error(`Cannot ask systemd (systemctl ${argv.join(" ")}): ${result.error.message}`);
  return result.stdout.text.trim();
}

