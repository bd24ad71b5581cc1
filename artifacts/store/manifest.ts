import { Type, type Static } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../core/fs/write_file_atomic.ts";
import { StoreError } from "./store_error.ts";

export const MANIFEST_VERSION = 1;

const ManifestFile = Type.Object({
  path: Type.String({ description: "Path relative to the store root, under its original name when compacted" }),
  size: Type.Integer({ minimum: 0, description: "Bytes on disk" }),
  mtime_ms: Type.Number(),
  sha256: Type.String({ pattern: "^[0-9a-f]{64}$", description: "Checksum of the original bytes (of the expanded file when compacted)" }),
  stored: Type.Optional(Type.String({ description: "The compacted file on disk, when the file is compacted" })),
});

const ManifestEntry = Type.Object({
  id: Type.String(),
  family: Type.String(),
  path: Type.String(),
  kind: Type.Union([Type.Literal("dir"), Type.Literal("file")]),
  timestamp: Type.String({ description: "ISO 8601 time of the entry" }),
  size: Type.Integer({ minimum: 0 }),
  file_count: Type.Integer({ minimum: 0 }),
  status: Type.Union([Type.Literal("pass"), Type.Literal("fail"), Type.Literal("incomplete"), Type.Literal("unknown")]),
  pinned: Type.Boolean(),
  locked: Type.Boolean(),
  files: Type.Array(ManifestFile),
});

export const ManifestSchema = Type.Object({
  schema_version: Type.Literal(MANIFEST_VERSION),
  generated_at: Type.String(),
  entries: Type.Array(ManifestEntry),
}, { $schema: "http://json-schema.org/draft-07/schema#", title: "mooncake artifacts .manifest.json" });

export type Manifest = Static<typeof ManifestSchema>;
export type ManifestEntry = Static<typeof ManifestEntry>;

const check = TypeCompiler.Compile(ManifestSchema);

/** Why the manifest at `path` cannot be used, or the manifest itself; undefined when there is none. */
export function readManifestFile(path: string): { manifest?: Manifest; problem?: string } {
  if (!existsSync(path)) return {};
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    return { problem: `it is not valid JSON (${e instanceof Error ? e.message : String(e)}), perhaps truncated` };
  }
  const version = (value as { schema_version?: unknown } | null)?.schema_version;
  if (version !== undefined && version !== MANIFEST_VERSION) return { problem: `its schema_version ${JSON.stringify(version)} is not ${MANIFEST_VERSION}` };
  if (!check.Check(value)) {
    const first = check.Errors(value).First();
    return { problem: `it does not match the manifest schema${first ? ` at ${first.path || "/"}: ${first.message}` : ""}` };
  }
  return { manifest: value };
}

/** The manifest of the store, falling back to its backup; throws a StoreError when neither can be read. */
export function readManifest(root: string): Manifest | undefined {
  const main = readManifestFile(join(root, ".manifest.json"));
  if (main.manifest) return main.manifest;
  const backup = readManifestFile(join(root, ".manifest.backup.json"));
  if (!main.problem) return undefined;
  throw new StoreError(`Cannot read manifest "${join(root, ".manifest.json")}": ${main.problem}; run \`mooncake artifacts scan\` to rebuild it${backup.manifest ? " (.manifest.backup.json is intact)" : ""}`);
}

/** Writes the manifest; a readable previous one becomes `.manifest.backup.json` first. */
export function writeManifest(root: string, manifest: Manifest): void {
  const path = join(root, ".manifest.json");
  if (readManifestFile(path).manifest) copyFileSync(path, join(root, ".manifest.backup.json"));
  writeFileAtomic(path, `${JSON.stringify(manifest, null, 1)}\n`);
}
