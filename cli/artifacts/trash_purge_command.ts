import { Command, Option, UsageError } from "clipanion";
import { EXIT } from "../config_command.ts";
import { ArtifactsCommand } from "./artifacts_command.ts";

export class ArtifactsTrashPurgeCommand extends ArtifactsCommand {
  static override paths = [["artifacts", "trash", "purge"]];

  static override usage = Command.Usage({
    category: "Artifacts",
    description: "Delete items from the trash for good",
    details: "Dry run by default: lists what would be deleted. `--older-than 30d` keeps younger items.",
    examples: [
      ["See what a purge of items older than 30 days would delete", "$0 artifacts trash purge --older-than 30d"],
      ["Purge them", "$0 artifacts trash purge --older-than 30d --apply"],
    ],
  });

  olderThan = Option.String("--older-than", { description: 'Only items deleted longer ago than this age ("30d", "12h", "2w")' });

  apply = Option.Boolean("--apply", false, { description: "Delete (default: only list what would be deleted)" });

  protected async run(): Promise<number> {
    const [{ listTrash, purgeTrashItem }, { parseAge, formatSize }] = await Promise.all([
      import("../../artifacts/store/trash.ts"),
      import("../../artifacts/store/parse_size.ts"),
    ]);
    const age = this.olderThan === undefined ? 0 : parseAge(this.olderThan);
    if (age === undefined) throw new UsageError(`--older-than "${this.olderThan}" is not an age: expected a number and a unit, such as "30d", "12h" or "2w"`);
    const release = this.apply ? await this.lock("trash purge") : () => {};
    try {
      const now = Date.now();
      const items = listTrash(this.root).filter((i) => now - Date.parse(i.deleted_at) >= age);
      if (this.apply) for (const i of items) purgeTrashItem(this.root, i);
      const bytes = items.reduce((s, i) => s + i.size, 0);
      if (this.format === "json") this.json({ dry_run: !this.apply, purged: items.map((i) => i.trash_id), bytes });
      else {
        for (const i of items) this.context.stdout.write(`${this.apply ? "purged" : "would purge"}  ${i.id}  ${formatSize(i.size)}\n`);
        this.context.stdout.write(`${this.apply ? "Purged" : "Would purge"} ${items.length} items (${formatSize(bytes)})${this.apply || !items.length ? "" : "; run with --apply to delete them"}\n`);
      }
      return EXIT.ok;
    } finally {
      release();
    }
  }
}
