import { Command, Option } from "clipanion";
import { EXIT } from "../config_command.ts";
import { ArtifactsCommand, entryId } from "./artifacts_command.ts";

export class ArtifactsRestoreCommand extends ArtifactsCommand {
  static override paths = [["artifacts", "restore"]];

  static override usage = Command.Usage({
    category: "Artifacts",
    description: "Bring an entry back from the trash to where gc took it from",
    details: `
      The ID (or \`--id\`) is the entry id gc moved (the newest such item when it was trashed more than
      once) or the trash item's directory name, as \`artifacts trash list\` shows them.
    `,
    examples: [["Restore a run", "$0 artifacts restore 20260204-141419-a3f2c8"]],
  });

  idArgument = Option.String({ required: false, name: "ID" });

  idOption = Option.String("--id", { description: "The entry id or trash id to restore; the same as the ID argument" });

  force = Option.Boolean("--force", false, { description: "Replace what is at the original path now" });

  protected async run(): Promise<number> {
    const policy = await this.policy();
    if (!policy) return EXIT.invalidInput;
    const [{ findTrashItem, restoreFromTrash }, { rescanAndWrite }] = await Promise.all([
      import("../../artifacts/store/trash.ts"),
      import("../../artifacts/store/scan_store.ts"),
    ]);
    const release = await this.lock("restore");
    try {
      const item = findTrashItem(this.root, entryId(this.idArgument, this.idOption));
      restoreFromTrash(this.root, item, this.force);
      await rescanAndWrite(this.root, policy, new Date());
      if (this.format === "json") this.json({ id: item.id, restored_to: item.original_path });
      else this.context.stdout.write(`Restored ${item.id} to ${this.root}/${item.original_path}\n`);
      return EXIT.ok;
    } finally {
      release();
    }
  }
}
