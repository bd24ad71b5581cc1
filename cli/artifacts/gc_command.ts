import { Command, Option, UsageError } from "clipanion";
import * as t from "typanion";
import { EXIT } from "../config_command.ts";
import { ArtifactsCommand } from "./artifacts_command.ts";
import { confirm } from "./confirm.ts";

export class ArtifactsGcCommand extends ArtifactsCommand {
  static override paths = [["artifacts", "gc"]];

  static override usage = Command.Usage({
    category: "Artifacts",
    description: "Apply the retention policy: show the plan, and with --apply move old entries to the trash",
    details: `
      Plans, for every entry, keep or delete with its reason ("kept: pinned", "kept: last pass
      of family X", "kept: rank 3 of keep 10", "deleted: rank 12 beyond keep 10", "kept: run in
      progress"), checks that no protected entry (pinned, the last run and last pass of each
      family, a run in progress or incomplete, last_run.json) would be deleted, and prints the
      plan. Nothing changes without \`--apply\`, which asks for confirmation on a terminal
      unless \`--force\`, moves each deleted entry into \`.trash/<entry-id>/\`, writes
      \`.trash/gc_report_<timestamp>.md\` and rescans the manifest. \`restore --id\` undoes it.

      Exit codes: 0 done (or nothing to do), 1 the store is locked or the plan failed its check,
      2 invalid policy or options.
    `,
    examples: [
      ["Show what would be deleted", "$0 artifacts gc"],
      ["Keep the last 5 runs of one family, for this call", "$0 artifacts gc --family site.yml --keep 5"],
      ["Delete without asking (CI)", "$0 artifacts gc --apply --force"],
    ],
  });

  apply = Option.Boolean("--apply", false, { description: "Carry out the plan (default: only show it)" });

  dryRun = Option.Boolean("--dry-run", false, { description: "Only show the plan (the default; accepted for scripts that say so)" });

  force = Option.Boolean("--force", false, { description: "With --apply: do not ask for confirmation" });

  keep = Option.String("--keep", { description: "Keep this many newest entries per family instead of the policy's, for this call", validator: t.isNumber() });

  family = Option.String("--family", { description: "Plan only this family" });

  verbose = Option.Boolean("-v,--verbose", false, { description: "Show every decision, also the entries kept within keep" });

  protected async run(): Promise<number> {
    if (this.apply && this.dryRun) throw new UsageError("--apply and --dry-run contradict each other: pass one");
    if (this.keep !== undefined && (!Number.isInteger(this.keep) || this.keep < 0)) throw new UsageError(`--keep takes a whole number of 0 or more, got ${this.keep}`);
    let policy = await this.policy();
    if (!policy) return EXIT.invalidInput;
    const [{ planRetention }, { validatePlan }, { withKeep }, { renderGcPlan }, { expiredTrash, purgeTrashItem }] = await Promise.all([
      import("../../artifacts/store/plan_retention.ts"),
      import("../../artifacts/store/validate_plan.ts"),
      import("../../artifacts/store/policy.ts"),
      import("../../artifacts/store/render_store.ts"),
      import("../../artifacts/store/trash.ts"),
    ]);
    if (this.keep !== undefined) policy = withKeep(policy, this.keep, this.family);
    const release = this.apply ? await this.lock("gc") : () => {};
    try {
      const entries = await this.entriesOf(policy, this.family);
      const now = new Date();
      const plan = planRetention(entries, policy, now.getTime());
      const problems = validatePlan(entries, plan);
      if (problems.length) {
        for (const p of problems) this.context.stderr.write(`error: ${p}\n`);
        this.context.stderr.write("error: GC plan validation failed: nothing was moved\n");
        return EXIT.storeFailed;
      }
      const toDelete = plan.decisions.filter((d) => d.action === "delete").length;
      // seed 002 keeps the trash 30 days: what is older goes for good (trash.retention).
      const expired = expiredTrash(this.root, policy.trashRetention.ms, now.getTime());
      if (this.apply) for (const item of expired) purgeTrashItem(this.root, item);
      const trashLine = expired.length ? `${this.apply ? "Purged" : "Would purge"} ${expired.length} trash ${expired.length === 1 ? "item" : "items"} deleted more than ${policy.trashRetention.text} ago (trash.retention)\n` : "";
      const planJson = () => ({
        dry_run: !this.apply,
        policy: policy.source,
        totals: {
          entries: entries.length, keep: entries.length - toDelete, delete: toDelete,
          delete_bytes: plan.families.reduce((s, f) => s + f.bytesDeleted, 0), delete_files: plan.families.reduce((s, f) => s + f.filesDeleted, 0),
        },
        families: plan.families.map((f) => ({ family: f.family, policy: f.policy, total: f.total, kept: f.kept, deleted: f.deleted, bytes_deleted: f.bytesDeleted })),
        decisions: plan.decisions.map((d, i) => ({ id: d.id, family: d.family, action: d.action, rule: d.rule, reason: d.reason, rank: d.rank, size: entries[i]!.size })),
        trash_expired: expired.map((i) => i.trash_id),
      });
      if (this.format === "text") this.context.stdout.write(renderGcPlan(entries, plan, { dryRun: !this.apply, policySource: policy.source, verbose: this.verbose }) + trashLine);
      if (!this.apply || toDelete === 0) {
        if (this.format === "json") this.json({ ...planJson(), applied: null });
        return EXIT.ok;
      }
      if (!this.force) {
        if (!process.stdin.isTTY) throw new UsageError("gc --apply needs confirmation: run it on a terminal, or add --force");
        if (!(await confirm(`Move ${toDelete} ${toDelete === 1 ? "entry" : "entries"} to ${this.root}/.trash?`))) {
          this.context.stdout.write("Nothing was moved.\n");
          return EXIT.ok;
        }
      }
      const [{ applyGc }, { rescanAndWrite }] = await Promise.all([
        import("../../artifacts/store/apply_gc.ts"),
        import("../../artifacts/store/scan_store.ts"),
      ]);
      const outcome = applyGc(this.root, entries, plan, now, policy.source, (moved, total) => this.progress(`moving to trash: ${moved}/${total} entries`));
      this.progress(null);
      await rescanAndWrite(this.root, policy, now);
      if (this.format === "json") {
        this.json({ ...planJson(), applied: { moved: outcome.moved.map((m) => ({ id: m.id, trash: `.trash/${m.trash_id}` })), skipped: outcome.skipped, report: outcome.reportPath } });
      } else {
        this.context.stdout.write(`\nMoved ${outcome.moved.length} ${outcome.moved.length === 1 ? "entry" : "entries"} to ${this.root}/.trash; report: ${outcome.reportPath}\n`);
        for (const s of outcome.skipped) this.context.stdout.write(`Skipped ${s.id}: ${s.why}\n`);
      }
      return EXIT.ok;
    } finally {
      release();
    }
  }
}
