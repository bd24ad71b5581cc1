import { Command, Option } from "clipanion";
import { EXIT } from "../config_command.ts";
import { ArtifactsCommand } from "./artifacts_command.ts";

export class ArtifactsExpandCommand extends ArtifactsCommand {
  static override paths = [["artifacts", "expand"]];

  static override usage = Command.Usage({
    category: "Artifacts",
    description: "Restore the original bytes of compacted files; a dry run unless --apply",
    details: "Each `NAME.mcz` becomes `NAME` again, byte for byte as it was before `artifacts compact`.",
    examples: [["Expand everything", "$0 artifacts expand --apply"]],
  });

  family = Option.String("--family", { description: "Only the entries of this family" });

  apply = Option.Boolean("--apply", false, { description: "Rewrite the files (default: only list them)" });

  protected async run(): Promise<number> {
    const policy = await this.policy();
    if (!policy) return EXIT.invalidInput;
    const [{ expandEntries }, { rescanAndWrite }] = await Promise.all([
      import("../../artifacts/compact/compact_store.ts"),
      import("../../artifacts/store/scan_store.ts"),
    ]);
    const release = this.apply ? await this.lock("expand") : () => {};
    try {
      const entries = await this.entriesOf(policy, this.family);
      const expanded = expandEntries(this.root, entries, this.apply);
      if (this.apply) await rescanAndWrite(this.root, policy, new Date());
      if (this.format === "json") this.json({ dry_run: !this.apply, files: expanded });
      else {
        for (const path of expanded) this.context.stdout.write(`  ${this.apply ? "expanded" : "would expand"}  ${path}\n`);
        this.context.stdout.write(`${this.apply ? "Expanded" : "Would expand"} ${expanded.length} files${this.apply || !expanded.length ? "" : "; run with --apply to rewrite them"}\n`);
      }
      return EXIT.ok;
    } finally {
      release();
    }
  }
}
