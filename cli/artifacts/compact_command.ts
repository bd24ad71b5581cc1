import { Command, Option } from "clipanion";
import { EXIT } from "../config_command.ts";
import { ArtifactsCommand } from "./artifacts_command.ts";

export class ArtifactsCompactCommand extends ArtifactsCommand {
  static override paths = [["artifacts", "compact"]];

  static override usage = Command.Usage({
    category: "Artifacts",
    description: "Shrink JSONL (lossless) and markdown (opt-in) artifacts; a dry run unless --apply",
    details: `
      JSONL files of at least \`compaction.jsonl.min_size_kb\` become \`NAME.jsonl.mcz\`: a
      column codec (each event's keys stored once per shape, its values by column, numbers and
      timestamps as deltas) under zstd that expands to the original bytes exactly; every frame
      is expanded again and compared before the original is removed. Every reader (\`artifacts cat\`, \`verify\`) reads them as if
      expanded; \`artifacts expand\` restores the originals. Markdown, when
      \`compaction.markdown.enabled\`, is canonicalized (empty sections removed, headers
      canonical) and its original kept in the trash. Prints each file's size before and after.
    `,
    examples: [
      ["See what compaction would save", "$0 artifacts compact"],
      ["Compact one family", "$0 artifacts compact --family site.yml --apply --verbose"],
    ],
  });

  family = Option.String("--family", { description: "Only the entries of this family" });

  apply = Option.Boolean("--apply", false, { description: "Rewrite the files (default: only report sizes)" });

  verbose = Option.Boolean("-v,--verbose", false, { description: "Also list the files left as they are, with why" });

  protected async run(): Promise<number> {
    const policy = await this.policy();
    if (!policy) return EXIT.invalidInput;
    const [{ compactEntries }, { rescanAndWrite }, { formatSize }] = await Promise.all([
      import("../../artifacts/compact/compact_store.ts"),
      import("../../artifacts/store/scan_store.ts"),
      import("../../artifacts/store/parse_size.ts"),
    ]);
    const release = this.apply ? await this.lock("compact") : () => {};
    try {
      const entries = await this.entriesOf(policy, this.family);
      const now = new Date();
      this.progress(`compacting ${entries.length} entries...`);
      const items = compactEntries(this.root, entries, policy, { apply: this.apply, now });
      this.progress(null);
      if (this.apply) await rescanAndWrite(this.root, policy, now);
      const worth = items.filter((i) => !i.skipped);
      const before = worth.reduce((s, i) => s + i.before, 0);
      const after = worth.reduce((s, i) => s + i.after, 0);
      if (this.format === "json") {
        this.json({ dry_run: !this.apply, files: items, totals: { files: worth.length, before, after } });
        return EXIT.ok;
      }
      for (const i of this.verbose ? items : worth) {
        const sizes = `${formatSize(i.before)} -> ${formatSize(i.after)}`;
        this.context.stdout.write(`${i.skipped ? "  skip" : this.apply ? "  done" : "  plan"}  ${i.path}  ${i.kind}  ${i.skipped ? `(${i.skipped})` : sizes}\n`);
      }
      const ratio = after > 0 ? ` (${(before / after).toFixed(1)}x)` : "";
      this.context.stdout.write(`${this.apply ? "Compacted" : "Would compact"} ${worth.length} files: ${formatSize(before)} -> ${formatSize(after)}${ratio}${this.apply || !worth.length ? "" : "; run with --apply to rewrite them"}\n`);
      return EXIT.ok;
    } finally {
      release();
    }
  }
}
