import { Command, Option } from "clipanion";
import { EXIT } from "../config_command.ts";
import { ArtifactsCommand } from "./artifacts_command.ts";

export class ArtifactsCatCommand extends ArtifactsCommand {
  static override paths = [["artifacts", "cat"]];

  static override usage = Command.Usage({
    category: "Artifacts",
    description: "Print an artifact's bytes, expanding it when it is compacted",
    details: "`PATH` is read as written, or from `PATH.mcz` when compaction replaced it. The output is the original bytes exactly.",
    examples: [["Read a compacted event stream", "$0 artifacts cat .mooncake/runs/20260204-141419-a3f2c8/events.jsonl | jq .type"]],
  });

  file = Option.String({ name: "PATH" });

  protected async run(): Promise<number> {
    const { readArtifactBytes } = await import("../../artifacts/compact/read_artifact.ts");
    const bytes = readArtifactBytes(this.file);
    await new Promise<void>((resolve, reject) => this.context.stdout.write(bytes, (e) => (e ? reject(e) : resolve())));
    return EXIT.ok;
  }
}
