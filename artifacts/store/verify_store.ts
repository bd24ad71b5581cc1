import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { COMPACT_SUFFIX, expandBytes, sha256Hex } from "../compact/compacted_file.ts";
import { RUN_ID } from "./entry.ts";
import { hashFile } from "./hash_file.ts";
import type { Manifest } from "./manifest.ts";

export type ProblemKind = "missing" | "corrupt" | "invalid" | "unknown_version";

export interface VerifyProblem {
  kind: ProblemKind;
  path: string;
  detail: string;
}

/** The schema versions of the JSON artifacts mooncake writes that this build reads. */
export const KNOWN_SCHEMA_VERSIONS: readonly unknown[] = [1];

/**
 * Checks every file the manifest lists: present (missing), same sha256 as recorded, a
 * compacted file expanding cleanly (corrupt), JSON and JSONL that parse (invalid), and in
 * mooncake runs a known `schema_version` in every JSON artifact (seed 001, section 5).
 */
export function verifyStore(root: string, manifest: Manifest): { problems: VerifyProblem[]; files: number } {
  const problems: VerifyProblem[] = [];
  let files = 0;
  for (const entry of manifest.entries) {
    const isRun = entry.path.startsWith("runs/") && RUN_ID.test(entry.id);
    for (const file of entry.files) {
      files++;
      // Compaction or expansion since the scan changes the form on disk, not the content: read
      // whichever form is there, as every reader does.
      const plain = join(root, file.path);
      const compacted = plain + COMPACT_SUFFIX;
      const isCompacted = !existsSync(plain) && existsSync(compacted);
      const onDisk = isCompacted ? compacted : plain;
      if (!existsSync(onDisk)) {
        problems.push({ kind: "missing", path: file.path, detail: `Missing artifact: ${file.stored ?? file.path}` });
        continue;
      }
      let bytes: Uint8Array | undefined;
      let sha: string;
      try {
        if (isCompacted) {
          bytes = expandBytes(readFileSync(onDisk));
          sha = sha256Hex(bytes);
        } else {
          sha = hashFile(onDisk);
        }
      } catch (e) {
        problems.push({ kind: "corrupt", path: file.path, detail: `Corrupt compacted file: ${e instanceof Error ? e.message : String(e)}` });
        continue;
      }
      if (sha !== file.sha256) {
        problems.push({ kind: "corrupt", path: file.path, detail: "Checksum differs from the manifest: the file changed or is damaged" });
        continue;
      }
      if (file.path.endsWith(".json") || file.path.endsWith(".jsonl")) {
        const text = new TextDecoder().decode(bytes ?? readFileSync(onDisk));
        const problem = file.path.endsWith(".json") ? checkJson(text, isRun) : checkJsonl(text);
        if (problem) problems.push({ ...problem, path: file.path });
      }
    }
  }
  return { problems, files };
}

function checkJson(text: string, owned: boolean): Omit<VerifyProblem, "path"> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { kind: "invalid", detail: `Invalid artifact: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!owned) return undefined;
  const version = (value as { schema_version?: unknown } | null)?.schema_version;
  if (version === undefined) return { kind: "invalid", detail: "Invalid artifact: no schema_version" };
  if (!KNOWN_SCHEMA_VERSIONS.includes(version)) return { kind: "unknown_version", detail: `Unsupported schema version: ${JSON.stringify(version)}` };
  return undefined;
}

function checkJsonl(text: string): Omit<VerifyProblem, "path"> | undefined {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === "" && (i === lines.length - 1 || line === "")) continue;
    try {
      JSON.parse(line);
    } catch {
      return { kind: "invalid", detail: `Invalid artifact: line ${i + 1} is not JSON` };
    }
  }
  return undefined;
}
