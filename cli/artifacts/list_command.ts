import { Command, Option } from "clipanion";
import { EXIT } from "../config_command.ts";
import { ArtifactsCommand } from "./artifacts_command.ts";

export class ArtifactsListCommand extends ArtifactsCommand {
  static override paths = [["artifacts", "list"]];

  static override usage = Command.Usage({
    category: "Artifacts",
    description: "List the entries of the store, newest first, with their family, size and status",
    details: `
      Reads the store as it is on disk now (no manifest needed). STATUS is pass, fail,
      incomplete (a run without summary.json) or unknown, followed by \`*\` for the last run of
      its family, \`+\` for the last pass and \`!\` for a run in progress; PINNED shows 📌.
      Times are UTC.
    `,
    examples: [
      ["List everything", "$0 artifacts list"],
      ["One family, with paths", "$0 artifacts list --family site.yml --verbose"],
      ["For scripts", "$0 artifacts list --format json"],
    ],
  });

  family = Option.String("--family", { description: "Only the entries of this family" });

  verbose = Option.Boolean("-v,--verbose", false, { description: "Add each entry's path" });

  protected async run(): Promise<number> {
    const policy = await this.policy();
    if (!policy) return EXIT.invalidInput;
    const [{ renderList }] = await Promise.all([
      import("../../artifacts/store/render_store.ts"),
    ]);
    const entries = await this.entriesOf(policy, this.family);
    if (this.format === "json") {
      this.json({
        root: this.root,
        entries: entries.map((e) => ({
          id: e.id, family: e.family, path: e.path, kind: e.kind, timestamp: new Date(e.timestamp).toISOString(),
          size: e.size, files: e.fileCount, status: e.status, pinned: e.pinned, locked: e.locked,
        })),
        totals: { entries: entries.length, bytes: entries.reduce((s, e) => s + e.size, 0), files: entries.reduce((s, e) => s + e.fileCount, 0) },
      });
    } else {
      this.context.stdout.write(renderList(entries, this.verbose));
    }
    return EXIT.ok;
  }
}
