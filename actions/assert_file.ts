import { closeSync, lstatSync, openSync, readFileSync, readSync, statSync, type Stats } from "node:fs";
import { describeFsError } from "../core/config/source_file.ts";
import { sha256File } from "../core/fs/hash_file.ts";
import { databaseEntries } from "../core/fs/ownership.ts";
import { readChunks } from "../core/fs/read_chunks.ts";
import { kindOf } from "../core/fs/read_regular_file.ts";

export interface FileExpectation {
  path: string;
  exists?: boolean;
  mode?: string | number;
  owner?: string;
  group?: string;
  sha256?: string;
  content?: string;
  contains?: string;
}

/** How much of a file a mismatch message quotes. */
const SHOWN_BYTES = 200;

/**
 * Every way `path` differs from the expectation, as "expected ..., found ..." sentences; empty
 * when it matches. The content is streamed: never read whole, and not decoded for a hash.
 */
export async function fileMismatches(expect: FileExpectation): Promise<string[]> {
  const { path } = expect;
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (e) {
    const dangling = isDanglingLink(path);
    if (expect.exists === false) return [];
    return [`expected "${path}" to exist, found ${dangling ? "a dangling symlink" : describeFsError(e)}`];
  }
  if (expect.exists === false) return [`expected "${path}" not to exist, found a ${stats.isDirectory() ? "directory" : "file"}`];
  const problems: string[] = [];
  if (expect.mode !== undefined) {
    const want = normalizeMode(expect.mode);
    const have = (stats.mode & 0o7777).toString(8).padStart(4, "0");
    if (want !== have) problems.push(`expected mode ${want}, found ${have}`);
  }
  if (expect.owner !== undefined && !sameId(expect.owner, stats.uid, "/etc/passwd")) {
    problems.push(`expected owner ${expect.owner}, found ${describeId(stats.uid, "/etc/passwd")}`);
  }
  if (expect.group !== undefined && !sameId(expect.group, stats.gid, "/etc/group")) {
    problems.push(`expected group ${expect.group}, found ${describeId(stats.gid, "/etc/group")}`);
  }
  if (expect.sha256 === undefined && expect.content === undefined && expect.contains === undefined) return problems;
  if (!stats.isFile()) return [...problems, `expected "${path}" to be a file to read, found ${kindOf(stats)}`];
  if (expect.sha256 !== undefined) {
    const want = expect.sha256.replace(/^sha256:/, "").toLowerCase();
    const have = await sha256File(path);
    if (want !== have) problems.push(`expected sha256 ${want}, found ${have}`);
  }
  if (expect.content !== undefined && !hasContent(path, stats, expect.content)) problems.push(`expected content ${quote(expect.content)}, found ${shown(path, stats)}`);
  if (expect.contains !== undefined && !(await contains(path, Buffer.from(expect.contains)))) problems.push(`expected it to contain ${quote(expect.contains)}, found ${shown(path, stats)}`);
  return problems;
}

/** Equal content: a file of another size differs unread; one of the same size is as small as the expectation. */
function hasContent(path: string, stats: Stats, content: string): boolean {
  const wanted = Buffer.from(content);
  return stats.size === wanted.byteLength && readFileSync(path).equals(wanted);
}

/** Whether the file holds `needle`, searched chunk by chunk with the chunks' seams covered. */
async function contains(path: string, needle: Buffer): Promise<boolean> {
  if (needle.byteLength === 0) return true;
  let carry = Buffer.alloc(0);
  for await (const chunk of readChunks(path)) {
    const window = Buffer.concat([carry, chunk]);
    if (window.includes(needle)) return true;
    carry = Buffer.from(window.subarray(Math.max(0, window.byteLength - needle.byteLength + 1)));
  }
  return false;
}

/** The start of the file as a message quotes it. */
function shown(path: string, stats: Stats): string {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(Math.min(stats.size, SHOWN_BYTES * 4));
    const n = readSync(fd, head, 0, head.byteLength, 0);
    const text = head.subarray(0, n).toString("utf8");
    return stats.size > n ? `${quote(text)} (${stats.size} bytes)` : quote(text);
  } finally {
    closeSync(fd);
  }
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function normalizeMode(mode: string | number): string {
  const octal = typeof mode === "number" ? mode.toString(8) : mode.replace(/^0o/, "");
  return octal.padStart(4, "0").slice(-4);
}

/** A name or a numeric id against the id a file has; names come from /etc/passwd or /etc/group. */
function sameId(expected: string, actual: number, database: string): boolean {
  if (/^\d+$/.test(expected)) return Number(expected) === actual;
  return idNames(database).get(actual) === expected;
}

function describeId(id: number, database: string): string {
  const name = idNames(database).get(id);
  return name ? `${name} (${id})` : String(id);
}

function idNames(database: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const [name, , id] of databaseEntries(database)) {
    if (name && id !== undefined && !names.has(Number(id))) names.set(Number(id), name);
  }
  return names;
}

/** A value quoted for a message, cut to a readable length. */
export function quote(text: string, max = 200): string {
  const json = JSON.stringify(text);
  return json.length > max ? `${json.slice(0, max - 4)}..."` : json;
}
