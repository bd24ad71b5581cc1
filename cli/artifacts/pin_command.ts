import { Command, Option } from "clipanion";
import { ArtifactsCommand, entryId } from "./artifacts_command.ts";
import { pinEntry } from "./pin_entry.ts";

export class ArtifactsPinCommand extends ArtifactsCommand {
  static override paths = [["artifacts", "pin"]];

  static override usage = Command.Usage({
    category: "Artifacts",
    description: "Pin an entry so gc never deletes it",
    details: `
      Records the pin in \`<root>/.pins.json\` (the policy's \`retention.<family>.pin\` lists
      pin too, and are left as they are). \`--off\` unpins, like \`artifacts unpin\`. An id may
      be shortened to a unique prefix.
    `,
    examples: [["Pin a run", "$0 artifacts pin 20260204-141419-a3f2c8"]],
  });

  idArgument = Option.String({ required: false, name: "ID" });

  idOption = Option.String("--id", { description: "The entry to pin (its id, or a unique prefix); the same as the ID argument" });

  off = Option.Boolean("--off", false, { description: "Unpin instead" });

  on = Option.Boolean("--on", false, { description: "Pin (the default; accepted for scripts that say so)" });

  protected async run(): Promise<number> {
    return pinEntry(this, entryId(this.idArgument, this.idOption), !this.off);
  }
}
