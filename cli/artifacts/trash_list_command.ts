import { Command } from "clipanion";
import { EXIT } from "../config_command.ts";
import { ArtifactsCommand } from "./artifacts_command.ts";

export class ArtifactsTrashListCommand extends ArtifactsCommand {
  static override paths = [["artifacts", "trash", "list"]];

  static override usage = Command.Usage({
    category: "Artifacts",
    description: "List what gc and compact moved to the trash, newest first",
    examples: [["List the trash", "$0 artifacts trash list"]],
  });

  protected async run(): Promise<number> {
    const [{ listTrash }, { formatSize }] = await Promise.all([
      import("../../artifacts/store/trash.ts"),
      import("../../artifacts/store/parse_size.ts"),
    ]);
    const items = listTrash(this.root);
    if (this.format === "json") {
      this.json({ items });
      return EXIT.ok;
    }
    if (items.length === 0) {
      this.context.stdout.write("The trash is empty.\n");
      return EXIT.ok;
    }
    for (const i of items) {
      const state = i.complete ? "" : "  (interrupted: the content never arrived; purge removes the record)";
      this.context.stdout.write(`${i.deleted_at.slice(0, 19).replace("T", " ")}  ${i.id}  ${i.family}  ${formatSize(i.size)}  ${i.reason}${state}\n`);
    }
    const total = items.reduce((s, i) => s + i.size, 0);
    this.context.stdout.write(`Total: ${items.length} items, ${formatSize(total)}\n`);
    return EXIT.ok;
  }
}
