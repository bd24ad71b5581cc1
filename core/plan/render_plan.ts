import { stringify } from "yaml";
import { displayPath, formatPosition } from "../fs/display_path.ts";
import type { Plan, PlanStep } from "./plan.ts";

export type PlanFormat = "text" | "json" | "yaml";

/** The plan as a saved file (json, yaml) or as a listing for people (text). */
export function renderPlan(plan: Plan, format: PlanFormat, options: { showOrigins?: boolean } = {}): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(plan, null, 2)}\n`;
    case "yaml":
      return stringify(plan, { aliasDuplicateObjects: false, lineWidth: 0 });
    case "text":
      return renderText(plan, options.showOrigins ?? false);
  }
}

function renderText(plan: Plan, showOrigins: boolean): string {
  const selected = plan.steps.filter((s) => !s.skipped).length;
  const tags = plan.tags.length ? `, tags ${plan.tags.join(",")}` : "";
  const lines = [`Plan for ${displayPath(plan.root_file)}: ${plan.steps.length} steps, ${selected} selected${tags}`];
  const idWidth = Math.max(0, ...plan.steps.map((s) => s.id.length));
  const actionWidth = Math.max(0, ...plan.steps.map((s) => s.action.length));
  for (const step of plan.steps) {
    lines.push(`  ${step.id.padEnd(idWidth)}  ${step.action.padEnd(actionWidth)}  ${step.name}${annotations(step)}`);
    if (showOrigins) lines.push(`  ${" ".repeat(idWidth)}  at ${originText(step)}`);
  }
  return `${lines.join("\n")}\n`;
}

function annotations(step: PlanStep): string {
  const notes: string[] = [];
  if (step.tags.length) notes.push(`tags: ${step.tags.join(",")}`);
  if (step.when !== undefined) notes.push(`when: ${step.when}`);
  if (step.become) notes.push(step.become_user ? `become: ${step.become_user}` : "become");
  if (step.dry_run === "run") notes.push("runs in a dry-run too");
  if (step.deferred_with_items !== undefined) notes.push(`loop at run time: ${step.deferred_with_items}`);
  if (step.skipped) notes.push(`skipped: ${step.skipped.message}`);
  return notes.length ? `  [${notes.join("; ")}]` : "";
}

function originText(step: PlanStep): string {
  const { origin } = step;
  const here = formatPosition(origin);
  if (origin.include_stack.length === 0) return here;
  const via = origin.include_stack.map(formatPosition).join(" -> ");
  return `${here} (included from ${via})`;
}
