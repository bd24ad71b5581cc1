import { Command, Option } from "clipanion";
import { EXIT } from "../config_command.ts";
import { ArtifactsCommand } from "./artifacts_command.ts";

export class ArtifactsCatCommand extends ArtifactsCommand {
  static override paths = [["artifacts", "cat"]];

  static override usage = Command.Usage({
    category: "Artifacts",
    description: "Print an artifact's bytes, expanding it when it is compacted",
    details: "`PATH` is read as written, or from `PATH.mcz` when compaction replaced it; a `PATH.mcz` given itself is expanded too. The output is the original bytes exactly.",
    examples: [["Read a compacted event stream", "$0 artifacts cat .mooncake/runs/20260204-141419-a3f2c8/events.jsonl | jq .type"]],
  });

  file = Option.String({ name: "PATH" });

  protected async run(): Promise<number> {
    const [{ artifactChunks }, { COMPACT_SUFFIX }] = await Promise.all([
      import("../../artifacts/compact/read_artifact.ts"),
      import("../../artifacts/compact/compacted_file.ts"),
    ]);
    const path = this.file.endsWith(COMPACT_SUFFIX) ? this.file.slice(0, -COMPACT_SUFFIX.length) : this.file;
    for (const bytes of artifactChunks(path)) {
      // Waits for each chunk to be taken, so a slow reader holds one chunk in memory, not the file.
      await new Promise<void>((resolve, reject) => this.context.stdout.write(bytes, (e) => (e ? reject(e) : resolve())));
    }
    return EXIT.ok;
  }
}
