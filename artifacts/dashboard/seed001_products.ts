import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, isAbsolute, join } from "node:path";
import { RUN_ID } from "../store/entry.ts";
import { checkJsonSchema } from "./check_json_schema.ts";
import { labelledFields } from "./labelled_fields.ts";
import { cardFromRows, type Badge, type CardStatus, type RunDetail } from "./model.ts";
import type { FamiliesPart } from "./run_families.ts";
import { embeddedImage } from "./screenshot.ts";

/** The `schema_version`s of seed 001's contract this build renders fully; others are shown best-effort. */
export const SEED001_VERSIONS: readonly string[] = ["0.1"];

const PRODUCTS = "products.json";
const PRODUCTS_SCHEMA = "schemas/products.schema.json";
const LAST_RUN_SCHEMA = "schemas/last_run.schema.json";
/** Artifacts of seed 001 larger than this are not read (they are small JSON reports). */
const MAX_CONTRACT_BYTES = 8 * 1024 * 1024;
const MAX_RUN_FILES = 50;

/** The fields of last_run.json the card has a place for; the others are shown as labelled values. */
const KNOWN_LAST_RUN = new Set([
  "schema_version", "run_id", "status", "summary", "evidence", "evidence_paths", "product_id", "product",
  "started_at", "start_time", "timestamp", "finished_at", "end_time", "generated_at", "duration_ms", "duration_s", "duration",
]);

/** One product of products.json (or a `runs/<id>/` folder when products.json cannot be read). */
export interface Product {
  id: string;
  name: string;
  status: string | null;
  /** The family name the store groups its run folders under. */
  family: string;
  glob: string;
}

export interface Seed001Tree {
  products: Product[];
  badges: Badge[];
}

/** Whether `root` is laid out as seed 001 says: products.json or its schemas at the top. */
export function isSeed001Tree(root: string): boolean {
  return [PRODUCTS, PRODUCTS_SCHEMA, LAST_RUN_SCHEMA].some((p) => existsSync(join(root, p)));
}

/** Reads products.json against its schema; a product listed nowhere but under runs/ is added with a notice. */
export function readProducts(root: string): Seed001Tree {
  const badges: Badge[] = [];
  const schema = readSchema(root, PRODUCTS_SCHEMA, badges);
  const read = readContract(root, PRODUCTS, schema);
  badges.push(...read.badges);
  const listed = productsOf(read.value);
  const ids = new Set(listed.map((p) => p.id));
  for (const id of productFolders(root)) {
    if (ids.has(id)) continue;
    listed.push({ id, name: id, status: null });
    if (read.value !== undefined) badges.push({ kind: "notice", message: `runs/${id}/ holds runs of a product products.json does not list` });
  }
  return {
    badges,
    products: listed.map((p) => ({ ...p, family: `product:${p.id}`, glob: `runs/${globEscape(p.id)}/*` })),
  };
}

/**
 * The product cards: each product's `last_run.json` checked against its schema and version, its
 * unknown fields as labelled values, its screenshot as a thumbnail; the history strip comes from
 * its run folders, as the store found them (`part`, built with each product's glob as a family).
 */
export function productCards(root: string, tree: Seed001Tree, part: FamiliesPart, limit: number): FamiliesPart {
  const schema = readSchema(root, LAST_RUN_SCHEMA, tree.badges);
  const rows = part.rows.filter((r) => basename(r.path) !== "last_run.json");
  const details = new Map(part.details.map((d) => [d.key, d]));
  const result: FamiliesPart = { cards: [], rows: [], details: [] };
  for (const product of tree.products) {
    const key = `product:${product.id}`;
    const own = rows.filter((r) => r.key.startsWith(`${key}/`));
    for (const row of own) {
      row.family = product.name;
      row.id = basename(row.path);
    }
    const lastRunPath = `runs/${product.id}/last_run.json`;
    const read = readContract(root, lastRunPath, schema);
    const value = read.value && typeof read.value === "object" && !Array.isArray(read.value) ? (read.value as Record<string, unknown>) : {};
    const runId = stringOf(value.run_id);
    const runDir = runId ? `runs/${product.id}/${runId}` : null;
    const badges = [...read.badges];
    if (runDir && !existsSync(join(root, runDir))) badges.push({ kind: "missing", message: `Missing artifact: ${runDir}/` });
    const broken = read.badges.some((b) => b.kind === "missing" || b.kind === "invalid");
    const status: CardStatus = broken ? "error" : statusWord(value.status);
    let last = own.find((r) => runDir !== null && r.path === runDir) ?? null;
    if (runId && !last) {
      last = {
        key: `${key}/${runDir}`, id: runId, family: product.name, status, started_at: null, duration_ms: null,
        counts: null, dry_run: false, pinned: false, path: runDir!, detailed: false,
      };
      own.push(last);
    }
    if (last) {
      last.status = status;
      last.started_at = timeOf(value) ?? last.started_at;
      last.duration_ms = durationOf(value) ?? last.duration_ms;
      const detail = details.get(last.key) ?? emptyDetail(last.key);
      detail.badges = badges;
      const summary = summaryText(value.summary);
      detail.fields = [...(summary ? [{ label: "Summary", value: summary }] : []), ...labelledFields(value, KNOWN_LAST_RUN)];
      detail.evidence = [...new Set([...evidenceOf(value), ...(runDir ? runFiles(root, runDir) : [])])];
      details.set(last.key, detail);
      last.detailed = true;
    }
    own.sort((a, b) => (a === last ? -1 : b === last ? 1 : (b.started_at ?? "").localeCompare(a.started_at ?? "")));
    const screenshot = runDir && existsSync(join(root, runDir, "screenshot.png"))
      ? { path: `${runDir}/screenshot.png`, data_uri: embeddedImage(join(root, runDir, "screenshot.png")) }
      : null;
    result.cards.push({
      ...cardFromRows(key, product.name, "product", own, limit),
      status,
      product_status: product.status,
      last,
      badges,
      summary: summaryText(value.summary),
      evidence: last ? details.get(last.key)!.evidence : evidenceOf(value),
      fields: labelledFields(value, KNOWN_LAST_RUN),
      screenshot,
    });
    result.rows.push(...own);
  }
  const shown = new Set(result.rows.map((r) => r.key));
  result.details = [...details.values()].filter((d) => shown.has(d.key));
  return result;
}

interface ContractRead {
  value?: unknown;
  badges: Badge[];
}

/**
 * One artifact of seed 001, its contract checked in the order section 5 implies: missing, not
 * JSON, no schema_version, an unknown version (rendered best-effort, not checked against a schema
 * written for another version), then the JSON Schema.
 */
function readContract(root: string, rel: string, schema: unknown): ContractRead {
  const path = join(root, rel);
  if (!existsSync(path)) return { badges: [{ kind: "missing", message: `Missing artifact: ${rel}` }] };
  let value: unknown;
  try {
    if (statSync(path).size > MAX_CONTRACT_BYTES) return { badges: [{ kind: "invalid", message: `Invalid artifact: ${rel}: larger than ${MAX_CONTRACT_BYTES / 1024 / 1024} MiB` }] };
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    const why = e instanceof SyntaxError ? `not JSON (${e.message})` : (e as Error).message;
    return { badges: [{ kind: "invalid", message: `Invalid artifact: ${rel}: ${why}` }] };
  }
  const record = value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  const version = record?.schema_version;
  if (version === undefined || version === null) {
    return { value, badges: [{ kind: "invalid", message: `Invalid artifact: ${rel}: schema_version is required` }] };
  }
  if (!SEED001_VERSIONS.includes(String(version))) {
    return { value, badges: [{ kind: "unsupported_version", message: `Unsupported schema version: ${String(version)}` }] };
  }
  const problem = schema === undefined ? undefined : checkJsonSchema(schema, value);
  if (problem) return { value, badges: [{ kind: "invalid", message: `Invalid artifact: ${rel}: ${problem}` }] };
  return { value, badges: [] };
}

/** A JSON Schema of the tree; a missing or unreadable one is a badge of the page, and nothing is checked against it. */
function readSchema(root: string, rel: string, badges: Badge[]): unknown {
  const path = join(root, rel);
  if (!existsSync(path)) {
    badges.push({ kind: "missing", message: `Missing artifact: ${rel}` });
    return undefined;
  }
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    badges.push({ kind: "invalid", message: `Invalid artifact: ${rel}: ${e instanceof SyntaxError ? `not JSON (${e.message})` : (e as Error).message}` });
    return undefined;
  }
}

function productsOf(value: unknown): { id: string; name: string; status: string | null }[] {
  const list = Array.isArray(value) ? value : value && typeof value === "object" ? (value as Record<string, unknown>).products : undefined;
  const items: [string | undefined, unknown][] = Array.isArray(list)
    ? list.map((p) => [undefined, p])
    : list && typeof list === "object" ? Object.entries(list) : [];
  const products: { id: string; name: string; status: string | null }[] = [];
  const seen = new Set<string>();
  for (const [key, item] of items) {
    const p = item && typeof item === "object" ? (item as Record<string, unknown>) : {};
    const id = stringOf(p.id) ?? stringOf(p.product_id) ?? stringOf(p.slug) ?? key ?? stringOf(p.name);
    if (!id || !safeName(id) || seen.has(id)) continue;
    seen.add(id);
    products.push({ id, name: stringOf(p.name) ?? id, status: stringOf(p.status) ?? null });
  }
  return products;
}

/** Folders under runs/ that are products (not mooncake run ids). */
function productFolders(root: string): string[] {
  const runs = join(root, "runs");
  try {
    return readdirSync(runs, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !RUN_ID.test(d.name) && !d.name.startsWith(".") && safeName(d.name))
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}

/** A product id names a folder: no separators, no dot-dot. */
function safeName(id: string): boolean {
  return id !== "." && id !== ".." && !/[/\\\0]/.test(id);
}

function globEscape(text: string): string {
  return text.replace(/[*?[\]{}\\!]/g, "\\$&");
}

/** The files of the run folder (its top level and evidence/), as links. */
function runFiles(root: string, runDir: string): string[] {
  const files: string[] = [];
  const walk = (rel: string, depth: number) => {
    let names;
    try {
      names = readdirSync(join(root, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    } catch {
      return;
    }
    for (const d of names) {
      if (files.length >= MAX_RUN_FILES) return;
      if (d.isFile()) files.push(`${rel}/${d.name}`);
      else if (d.isDirectory() && depth < 2) walk(`${rel}/${d.name}`, depth + 1);
    }
  };
  walk(runDir, 0);
  return files;
}

function evidenceOf(value: Record<string, unknown>): string[] {
  const list = value.evidence_paths ?? value.evidence;
  const items = Array.isArray(list) ? list : list && typeof list === "object" ? Object.values(list) : typeof list === "string" ? [list] : [];
  return items.filter((p): p is string => typeof p === "string").map((p) => (isAbsolute(p) ? p : p.replace(/^\.\//, "")));
}

const PASS = new Set(["pass", "passed", "success", "succeeded", "ok", "green"]);
const FAIL = new Set(["fail", "failed", "failure", "error", "red", "interrupted", "cancelled", "canceled"]);

function statusWord(value: unknown): CardStatus {
  if (typeof value === "boolean") return value ? "pass" : "fail";
  if (typeof value !== "string") return "unknown";
  const word = value.toLowerCase();
  if (PASS.has(word)) return "pass";
  if (FAIL.has(word)) return "fail";
  if (word === "running" || word === "in_progress") return "running";
  return "unknown";
}

function timeOf(value: Record<string, unknown>): string | null {
  for (const key of ["started_at", "start_time", "timestamp", "generated_at", "finished_at", "end_time"]) {
    const text = stringOf(value[key]);
    if (text && !Number.isNaN(Date.parse(text))) return new Date(Date.parse(text)).toISOString();
  }
  return null;
}

function durationOf(value: Record<string, unknown>): number | null {
  if (typeof value.duration_ms === "number") return value.duration_ms;
  if (typeof value.duration_s === "number") return value.duration_s * 1000;
  if (typeof value.duration === "number") return value.duration * 1000;
  return null;
}

function summaryText(summary: unknown): string | null {
  if (summary === undefined || summary === null) return null;
  if (typeof summary === "string") return summary;
  if (typeof summary === "object" && !Array.isArray(summary)) {
    return Object.entries(summary).map(([k, v]) => `${k.replaceAll("_", " ")}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`).join(", ");
  }
  return JSON.stringify(summary);
}

function stringOf(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : typeof value === "number" ? String(value) : undefined;
}

function emptyDetail(key: string): RunDetail {
  return { key, error_message: null, error_kind: null, ended_at: null, badges: [], steps: [], events: [], events_note: null, changed_files: [], evidence: [], fields: [] };
}
