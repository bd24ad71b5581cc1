import { Command, Option } from "clipanion";
import { EXIT } from "../config_command.ts";
import { ArtifactsCommand } from "./artifacts_command.ts";

export class ArtifactsScanCommand extends ArtifactsCommand {
  static override paths = [["artifacts", "scan"]];

  static override usage = Command.Usage({
    category: "Artifacts",
    description: "Index the store: entries, families, sizes and checksums into .manifest.json",
    details: `
      Finds every entry of the store (each mooncake run under \`runs/\`, and what the policy's
      family globs match), checksums every file with sha256 on several concurrent readers,
      and writes \`<root>/.manifest.json\`, keeping the previous manifest as
      \`.manifest.backup.json\`. A file whose size and mtime match the previous manifest keeps
      its checksum unless \`--force\`. A truncated or damaged manifest is rebuilt.
    `,
    examples: [
      ["Index .mooncake", "$0 artifacts scan"],
      ["Rehash every file of another tree", "$0 artifacts scan --root ./artifacts --force --verbose"],
    ],
  });

  force = Option.Boolean("--force", false, { description: "Hash every file again, even those the manifest already knows" });

  verbose = Option.Boolean("-v,--verbose", false, { description: "List every entry found" });

  protected async run(): Promise<number> {
    const policy = await this.policy();
    if (!policy) return EXIT.invalidInput;
    const [{ scanStore }, { writeManifest }, { formatSize }] = await Promise.all([
      import("../../artifacts/store/scan_store.ts"),
      import("../../artifacts/store/manifest.ts"),
      import("../../artifacts/store/parse_size.ts"),
    ]);
    const release = await this.lock("scan");
    try {
      const started = performance.now();
      const result = await scanStore(this.root, policy, {
        force: this.force,
        now: new Date(),
        onProgress: (p) => this.progress(`scanning: ${p.files} files, ${formatSize(p.bytes)} hashed`),
      });
      this.progress(null);
      writeManifest(this.root, result.manifest);
      const seconds = (performance.now() - started) / 1000;
      const files = result.entries.reduce((s, e) => s + e.fileCount, 0);
      const size = result.entries.reduce((s, e) => s + e.size, 0);
      if (this.format === "json") {
        this.json({
          manifest: `${this.root}/.manifest.json`, entries: result.entries.length, files, bytes: size,
          hashed: result.hashed, reused: result.reused, seconds: Number(seconds.toFixed(3)),
          repaired: result.previousProblem ?? null,
        });
        return EXIT.ok;
      }
      if (result.previousProblem) this.context.stdout.write(`Previous manifest was unusable (${result.previousProblem}): rebuilt\n`);
      if (this.verbose) for (const e of result.entries) this.context.stdout.write(`  ${e.id}  ${e.family}  ${e.status}  ${e.fileCount} files  ${formatSize(e.size)}\n`);
      this.context.stdout.write(`Scanned ${result.entries.length} entries (${files} files, ${formatSize(size)}) in ${seconds.toFixed(2)}s: ${result.hashed} hashed, ${result.reused} unchanged\n`);
      this.context.stdout.write(`Wrote ${this.root}/.manifest.json\n`);
      return EXIT.ok;
    } finally {
      release();
    }
  }
}
