import type { Static, TSchema } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { describeFsError } from "../../core/config/source_file.ts";
import { artifactExists, readArtifactBytes } from "../compact/read_artifact.ts";
import { ARTIFACT_SCHEMA_VERSION } from "../run_files.ts";

/**
 * What reading one artifact gave: its value (checked, upgraded from an older version if need be),
 * or the problem in the words of seed 001: missing, invalid, or of an unsupported version. A file
 * of a newer version is read as best it can be: `value` holds it unchecked, beside the problem.
 */
export type ArtifactRead<T> =
  | { value: T; problem?: undefined }
  | { value?: Partial<T>; problem: string };

/** Turns a file of an older schema_version into the current shape; keyed by that version. */
export type Upgrades = Readonly<Record<number, (value: Record<string, unknown>) => unknown>>;

/**
 * Reads a JSON file, as written or compacted; a file without `schema_version` is version 0, the
 * upstream mooncake format.
 */
export function readArtifact<S extends TSchema>(path: string, schema: S, upgrades: Upgrades = {}): ArtifactRead<Static<S>> {
  if (!artifactExists(path)) return { problem: `Missing artifact: ${path}` };
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(readArtifactBytes(path)));
  } catch (e) {
    return { problem: `Invalid artifact: ${path}: ${e instanceof SyntaxError ? `not JSON (${e.message})` : describeFsError(e)}` };
  }
  return checkArtifact(raw, path, schema, upgrades);
}

/** Checks one parsed value (a JSON file, or a line of a JSONL file named `where`). */
export function checkArtifact<S extends TSchema>(raw: unknown, where: string, schema: S, upgrades: Upgrades = {}): ArtifactRead<Static<S>> {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return { problem: `Invalid artifact: ${where}: not a JSON object` };
  const record = raw as Record<string, unknown>;
  const version = record.schema_version ?? 0;
  let value: unknown = record;
  if (version !== ARTIFACT_SCHEMA_VERSION) {
    const upgrade = typeof version === "number" ? upgrades[version] : undefined;
    if (!upgrade) return { value: record as Partial<Static<S>>, problem: `Unsupported schema version: ${JSON.stringify(version)} in ${where}` };
    value = upgrade(record);
  }
  // Check first: listing the errors of a valid value costs several times more than checking it.
  if (Value.Check(schema, value)) return { value: value as Static<S> };
  const error = Value.Errors(schema, value).First();
  if (error) return { problem: `Invalid artifact: ${where}: ${error.path || "/"} ${error.message}` };
  return { value: value as Static<S> };
}
