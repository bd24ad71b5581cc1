import { Command } from "clipanion";
import { EXIT } from "../config_command.ts";
import { ArtifactsCommand } from "./artifacts_command.ts";

export class ArtifactsVerifyCommand extends ArtifactsCommand {
  static override paths = [["artifacts", "verify"]];

  static override usage = Command.Usage({
    category: "Artifacts",
    description: "Check every file against the manifest's checksums and every JSON artifact's schema_version",
    details: `
      Reports missing files, corrupt ones (checksum differs, compacted file damaged), invalid
      ones (JSON or a JSONL line that does not parse, a run artifact without schema_version)
      and unknown schema versions. Compacted files are checked as their expanded bytes.
      Run \`artifacts scan\` first to record the current state.

      Exit codes: 0 all good, 1 a problem was found or the manifest cannot be read.
    `,
    examples: [["Verify .mooncake", "$0 artifacts verify"]],
  });

  protected async run(): Promise<number> {
    const [{ readManifest }, { verifyStore }, { StoreError }] = await Promise.all([
      import("../../artifacts/store/manifest.ts"),
      import("../../artifacts/store/verify_store.ts"),
      import("../../artifacts/store/store_error.ts"),
    ]);
    const manifest = readManifest(this.root);
    if (!manifest) throw new StoreError(`Cannot verify "${this.root}": it has no manifest yet; run \`mooncake artifacts scan\` first`);
    this.progress(`verifying ${manifest.entries.length} entries...`);
    const { problems, notes, files } = verifyStore(this.root, manifest);
    this.progress(null);
    if (this.format === "json") this.json({ ok: problems.length === 0, entries: manifest.entries.length, files, problems, notes });
    else {
      for (const p of problems) this.context.stdout.write(`${p.kind}: ${p.path}: ${p.detail}\n`);
      for (const n of notes) this.context.stdout.write(`note: ${n.path} ${n.detail}\n`);
      const counts = ["missing", "corrupt", "invalid", "unknown_version"].map((k) => `${problems.filter((p) => p.kind === k).length} ${k.replace("_", " ")}`).join(", ");
      this.context.stdout.write(problems.length ? `✗ ${files} files checked: ${counts}\n` : `✓ ${files} files in ${manifest.entries.length} entries match the manifest\n`);
    }
    return problems.length ? EXIT.storeFailed : EXIT.ok;
  }
}
