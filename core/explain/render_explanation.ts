import { changeLines, formatDuration } from "../events/presenters/step_lines.ts";
import type { Style } from "../events/presenters/style.ts";
import { displayPath, formatPosition } from "../fs/display_path.ts";
import type { IncludeSite } from "../plan/plan.ts";
import { describeSource } from "../security/safety_policy.ts";
import type { CheckVerdict, Explanation, LastRunExplanation, SafetyRule, StepExplanation, VariableExplanation, WhenExplanation } from "./explanation.ts";

const LABEL = 10;
const INDENT = " ".repeat(2 + LABEL);
const MAX_VALUE = 80;

const VERDICT_WORDS: Record<CheckVerdict["verdict"], string> = {
  would_change: "would change",
  up_to_date: "up to date",
  skipped: "skipped",
  unknown: "unknown until run",
  would_fail: "would fail",
  not_checked: "not checked",
};

/** An explanation as text for people: one block per step. */
export function renderExplanation(explanation: Explanation, style: Style): string {
  const tags = explanation.tags.length ? `, --tags ${explanation.tags.join(",")}` : "";
  const head = `Explaining ${explanation.steps.length} step${explanation.steps.length === 1 ? "" : "s"} of ${displayPath(explanation.root_file)}${tags}`;
  return `${[head, ...explanation.steps.flatMap((step) => ["", ...stepLines(step, style)])].join("\n")}\n`;
}

function stepLines(step: StepExplanation, style: Style): string[] {
  const lines = [style.bold(`${step.id}  ${step.name}`) + style.dim(`  (${step.action})`)];
  const row = (label: string, first: string, more: readonly string[] = []) => lines.push(`  ${label.padEnd(LABEL)}${first}`, ...more);
  row("origin", formatPosition(step.origin), step.origin.include_stack.length ? [`${INDENT}via ${step.origin.include_stack.map(siteText).join(" -> ")}`] : []);
  if (step.become) row("become", `runs through sudo as ${step.become_user ?? "root"}`);
  const tagged = step.tags.tags.length ? `tagged ${step.tags.tags.join(", ")}` : "no tags";
  row("tags", `${step.tags.selected ? style.green("selected") : style.dim("not selected")} (${tagged}): ${step.tags.reason}`);
  if (step.when) row("when", whenHead(step.when, style), step.when.variables.flatMap((v) => variableLines(v, style)));
  const [first, ...rest] = step.check.flatMap((verdict) => verdictLines(verdict, step.check.length > 1, style));
  row("check", first!.trimStart(), rest);
  const [safetyFirst, ...safetyRest] = step.safety.length ? step.safety.map((rule) => safetyLine(rule, style)) : [style.dim("no rule applies")];
  row("safety", safetyFirst!, safetyRest.map((line) => `${INDENT}${line}`));
  const [lastFirst, ...lastRest] = lastRunLines(step.last_run, style);
  row("last run", lastFirst!, lastRest);
  return lines;
}

/** `refused by commands.deny (the --policy file policy.yml:3:9): Refusing to run ...` */
function safetyLine(rule: SafetyRule, style: Style): string {
  const where = rule.from ? ` (${describeSource(rule.from)})` : "";
  const verdict = rule.refused ? style.red(`refused by ${rule.rule}`) : style.green(`passes ${rule.rule}`);
  return `${verdict}${where}: ${rule.message}`;
}

function siteText(site: IncludeSite): string {
  return site.preset !== undefined ? `preset "${site.preset}" at ${formatPosition(site)}` : `include at ${formatPosition(site)}`;
}

function whenHead(when: WhenExplanation, style: Style): string {
  const result = { true: style.green("true"), false: style.yellow("false"), unknown: style.yellow("unknown until run"), error: style.red("fails"), not_evaluated: style.dim("not evaluated") }[when.result];
  return `${when.expression}  ->  ${result}`;
}

function variableLines(variable: VariableExplanation, style: Style): string[] {
  const value = variable.state === "known" ? valueText(variable.value) : variable.state === "known_after_run" ? "(known after run)" : "undefined";
  const reads = variable.members?.map((m) => `${m.path} = ${valueText(m.value)}`).join(", ") ?? `${variable.name} = ${value}`;
  const lines = [`${INDENT}  ${reads}  ${style.dim(`from ${variable.source.text}`)}`];
  for (const loser of variable.shadowed) {
    const why = loser.by === "later" ? "set again later" : "lower precedence";
    lines.push(`${INDENT}    ${style.dim(`over ${valueText(loser.value)} from ${loser.source.text} (${why})`)}`);
  }
  return lines;
}

/** A value on one line, cut at MAX_VALUE characters. */
function valueText(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 3)}...` : text;
}

function verdictLines(verdict: CheckVerdict, showId: boolean, style: Style): string[] {
  const word = VERDICT_WORDS[verdict.verdict];
  const painted = verdict.verdict === "would_change" || verdict.verdict === "unknown" ? style.yellow(word)
    : verdict.verdict === "would_fail" ? style.red(word)
    : verdict.verdict === "up_to_date" ? style.green(word) : style.dim(word);
  const showsChange = verdict.verdict === "would_change" && verdict.change !== undefined && verdict.change.kind !== "none";
  // A change shows its reason beside what changes.
  const lines = [`${INDENT}${showId ? `${verdict.step_id}: ` : ""}${painted}${showsChange ? "" : `: ${verdict.reason}`}`];
  if (showsChange) lines.push(...changeLines(verdict.change!, `${INDENT}  `, style));
  if (verdict.change?.message !== undefined) lines.push(...verdict.change.message.replace(/\n$/, "").split("\n").map((l) => `${INDENT}  ${l}`));
  return lines;
}

function lastRunLines(last: LastRunExplanation, style: Style): string[] {
  if (last.never_run !== undefined) return [`${style.dim("never run")}: ${last.never_run}`];
  const run = last.run!;
  const lines = [`run ${run.run_id} (${run.started_at}, ${run.status})`];
  for (const outcome of last.outcomes) {
    const error = outcome.error_message !== undefined ? `: ${outcome.error_message}` : "";
    const changed = outcome.status === "ok" && outcome.changed ? " (changed)" : "";
    lines.push(`${INDENT}${outcome.step_id}: ${outcome.status}${changed} in ${formatDuration(outcome.duration_ms)}${error}`);
  }
  return lines;
}
