import { existsSync } from "node:fs";
import type { ActionContext, Change, Outcome, ProcessResult, StepError } from "../core/exec/action.ts";

/**
 * The check of `shell` and `command`: a `creates` path that exists or an `unless` command that
 * succeeds means nothing to do; otherwise the command runs. `unless` is a probe and runs in a
 * dry-run too, with the step's become, env and cwd.
 */
export async function checkProcess(ctx: ActionContext, argv: readonly string[]): Promise<Change> {
  const { creates, unless } = ctx.step;
  if (creates !== undefined && existsSync(creates)) return { kind: "none", reason: `creates: "${creates}" exists` };
  const guards: string[] = [];
  if (creates !== undefined) guards.push(`creates: "${creates}" does not exist`);
  if (unless !== undefined) {
    const probe = await ctx.run(["sh", "-c", unless], { probe: true });
    if (probe.error) return { kind: "run", reason: `unless: "${unless}" could not run (${probe.error.message})`, detail: ctx.describe(argv) };
    if (probe.rc === 0) return { kind: "none", reason: `unless: "${unless}" exited 0` };
    guards.push(`unless: "${unless}" exited ${probe.rc ?? "by a signal"}`);
  }
  return { kind: "run", reason: guards.length ? guards.join(", ") : "a command always runs", detail: ctx.describe(argv) };
}

/** Runs the command; it counts as a change, and fails on a non-zero exit. */
export async function applyProcess(ctx: ActionContext, argv: readonly string[], options: { stdin?: string; capture?: boolean }): Promise<Outcome> {
  const result = await ctx.run(argv, options);
  const error = result.error ?? (ctx.step.become ? sudoRefusal(result) : undefined) ?? exitError(result);
  return { changed: true, rc: result.rc, stdout: result.stdout, stderr: result.stderr, ...(error ? { error } : {}) };
}

/** sudo itself failing (no password, not allowed) exits 1 with its own `sudo:` message. */
function sudoRefusal(result: ProcessResult): StepError | undefined {
  const line = result.rc === 1 ? result.stderr.text.split("\n").find((l) => l.startsWith("sudo: ")) : undefined;
  return line === undefined ? undefined : { kind: "become", message: `sudo refused: ${line.slice(6)}` };
}

function exitError(result: ProcessResult): StepError | undefined {
  if (result.rc === 0) return undefined;
  const lastLine = result.stderr.text.trimEnd().split("\n").pop() ?? "";
  const detail = lastLine ? `: ${lastLine}` : "";
  if (result.rc === 127) return { kind: "command_not_found", message: `Command not found (exit code 127)${detail}` };
  if (result.rc === 126) return { kind: "permission_denied", message: `Command not executable (exit code 126)${detail}` };
  return { kind: "exit_code", message: `Command exited with code ${result.rc}${detail}` };
}
