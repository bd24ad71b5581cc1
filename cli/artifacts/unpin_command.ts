import { Command, Option } from "clipanion";
import { ArtifactsCommand, entryId } from "./artifacts_command.ts";
import { pinEntry } from "./pin_entry.ts";

export class ArtifactsUnpinCommand extends ArtifactsCommand {
  static override paths = [["artifacts", "unpin"]];

  static override usage = Command.Usage({
    category: "Artifacts",
    description: "Unpin an entry: gc applies the retention policy to it again",
    details: "Removes the pin `artifacts pin` made. A pin listed in the policy file stays until removed there.",
    examples: [["Unpin a run", "$0 artifacts unpin 20260204-141419-a3f2c8"]],
  });

  idArgument = Option.String({ required: false, name: "ID" });

  idOption = Option.String("--id", { description: "The entry to unpin (its id, or a unique prefix); the same as the ID argument" });

  protected async run(): Promise<number> {
    return pinEntry(this, entryId(this.idArgument, this.idOption), false);
  }
}
