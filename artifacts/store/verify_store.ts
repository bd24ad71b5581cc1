import { existsSync } from "node:fs";
import { join } from "node:path";
import { COMPACT_SUFFIX, expandFile } from "../compact/compacted_file.ts";
import { readChunks } from "../compact/read_artifact.ts";
import { runOfPath } from "../runs_location.ts";
import type { Manifest, ManifestEntry } from "./manifest.ts";
import { listTrash, trashContentPath } from "./trash.ts";

export type ProblemKind = "missing" | "corrupt" | "invalid" | "unknown_version";

export interface VerifyProblem {
  kind: ProblemKind;
  path: string;
  detail: string;
}

/** The schema versions of the JSON artifacts mooncake writes that this build reads. */
export const KNOWN_SCHEMA_VERSIONS: readonly unknown[] = [1];

/** An entry verify did not check as listed, and why: it was in progress when scanned, or gc moved it to the trash since. */
export interface VerifyNote {
  path: string;
  detail: string;
}

/**
 * Checks every file the manifest lists: present (missing), same sha256 as recorded, a
 * compacted file expanding cleanly (corrupt), JSON and JSONL that parse (invalid), and in
 * mooncake runs a known `schema_version` in every JSON artifact (seed 001, section 5). An entry
 * gc moved to the trash after the scan (the manifest is rewritten last) is checked where it now
 * is; one that was in progress when scanned is not checked, its files being still written then.
 */
export function verifyStore(root: string, manifest: Manifest): { problems: VerifyProblem[]; notes: VerifyNote[]; files: number } {
  const problems: VerifyProblem[] = [];
  const notes: VerifyNote[] = [];
  const trash = new Map(listTrash(root).filter((i) => i.complete).map((i) => [i.original_path, i]));
  let files = 0;
  for (const entry of manifest.entries) {
    if (entry.locked) {
      notes.push({ path: entry.path, detail: "was in progress when scanned: its files were not checked; run `mooncake artifacts scan` to record it" });
      continue;
    }
    const isRun = entry.kind === "dir" && runOfPath(root, entry.path) !== undefined;
    const trashed = existsSync(join(root, entry.path)) ? undefined : trash.get(entry.path);
    const base = trashed ? trashContentPath(trashed) : entry.path;
    const before = problems.length;
    for (const file of entry.files) {
      files++;
      const problem = checkFile(root, base + file.path.slice(entry.path.length), file, isRun);
      if (problem) problems.push({ ...problem, path: file.path });
    }
    if (trashed) {
      const state = problems.length === before ? `its ${entry.files.length} files match` : "see the problems above";
      notes.push({ path: entry.path, detail: `moved to the trash (${base}), the manifest not yet updated; ${state}` });
    }
  }
  return { problems, notes, files };
}

/** One file against its manifest record, read at `path` (relative to the root) in whichever form is there. */
function checkFile(root: string, path: string, file: ManifestEntry["files"][number], isRun: boolean): Omit<VerifyProblem, "path"> | undefined {
  // Compaction or expansion since the scan changes the form on disk, not the content: read
  // whichever form is there, as every reader does.
  const plain = join(root, path);
  const compacted = plain + COMPACT_SUFFIX;
  const isCompacted = !existsSync(plain) && existsSync(compacted);
  const onDisk = isCompacted ? compacted : plain;
  if (!existsSync(onDisk)) return { kind: "missing", detail: `Missing artifact: ${file.stored ?? file.path}` };
  const hasher = new Bun.CryptoHasher("sha256");
  const lines = file.path.endsWith(".jsonl") ? new JsonlCheck() : undefined;
  const json: Uint8Array[] | undefined = file.path.endsWith(".json") ? [] : undefined;
  try {
    for (const bytes of isCompacted ? expandFile(onDisk) : readChunks(onDisk)) {
      hasher.update(bytes);
      lines?.push(bytes);
      json?.push(Buffer.from(bytes));
    }
  } catch (e) {
    return { kind: "corrupt", detail: `Corrupt compacted file: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (hasher.digest("hex") !== file.sha256) return { kind: "corrupt", detail: "Checksum differs from the manifest: the file changed or is damaged" };
  if (json) return checkJson(Buffer.concat(json).toString("utf8"), isRun);
  return lines?.end();
}

/** Checks that every line of a JSONL stream parses, fed in chunks; a blank last line is allowed. */
class JsonlCheck {
  private readonly decoder = new TextDecoder();
  private partial = "";
  private line = 0;
  private problem: Omit<VerifyProblem, "path"> | undefined;

  push(bytes: Uint8Array): void {
    if (this.problem) return;
    const lines = (this.partial + this.decoder.decode(bytes, { stream: true })).split("\n");
    this.partial = lines.pop()!;
    for (const line of lines) if (!this.parse(line, line === "")) return;
  }

  end(): Omit<VerifyProblem, "path"> | undefined {
    const last = this.partial + this.decoder.decode();
    if (!this.problem) this.parse(last, last.trim() === "");
    return this.problem;
  }

  private parse(line: string, blank: boolean): boolean {
    this.line++;
    if (blank) return true;
    try {
      JSON.parse(line);
      return true;
    } catch {
      this.problem = { kind: "invalid", detail: `Invalid artifact: line ${this.line} is not JSON` };
      return false;
    }
  }
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
