import { existsSync } from "node:fs";
import { join } from "node:path";
import { error, type Diagnostic } from "../../core/config/diagnostics.ts";
import { explainSchema } from "../../core/config/explain_schema.ts";
import { loadSourceFile } from "../../core/config/source_file.ts";
import { subjectAtPath } from "../../core/config/yaml_locate.ts";
import { parseAge, parseSize } from "./parse_size.ts";
import { PolicySchema, type PolicyDocument } from "./policy_schema.ts";

/** Retention of one family, with ages and sizes already parsed. */
export interface FamilyRule {
  keep: number;
  pin: readonly string[];
  keepWithin?: { text: string; ms: number };
  maxSize?: number;
}

/** `artifacts.yaml` with every default filled in: what the store's commands act on. */
export interface Policy {
  /** Display path of the file read, or null for the built-in defaults. */
  source: string | null;
  retention: Readonly<Record<string, FamilyRule>>;
  /** The rule of families the policy does not list (its "*" entry, else keep 10 as seed 001). */
  fallback: FamilyRule;
  families: readonly { name: string; glob: string }[];
  gcAuto: boolean;
  /** How long gc keeps trash items (seed 002: 30 days), as written and in milliseconds. */
  trashRetention: { text: string; ms: number };
  compaction: {
    jsonl: { enabled: boolean; minSizeKb: number; dictThreshold: number };
    markdown: { enabled: boolean; minSizeKb: number; removeEmptySections: boolean; canonicalHeaders: boolean };
  };
  indexing: { parallelWorkers: number; checksumBufferKb: number; maxFilesPerScan: number };
}

export const DEFAULT_KEEP = 10;
const DEFAULT_TRASH_RETENTION = "30d";

export function defaultPolicy(): Policy {
  return resolvePolicy({}, null);
}

/** The rule that applies to `family`. */
export function ruleFor(policy: Policy, family: string): FamilyRule {
  return policy.retention[family] ?? policy.fallback;
}

/**
 * Reads the policy: `file` when given (it must exist), else `<root>/artifacts.yaml` when it
 * exists, else the defaults. Problems are located diagnostics, as for a config.
 */
export function loadPolicy(root: string, file?: string): { policy?: Policy; diagnostics: Diagnostic[] } {
  const path = file ?? join(root, "artifacts.yaml");
  if (!file && !existsSync(path)) return { policy: defaultPolicy(), diagnostics: [] };
  const loaded = loadSourceFile(path);
  if (!loaded.file || loaded.diagnostics.length) return { diagnostics: loaded.diagnostics };
  const source = loaded.file;
  const value = source.value ?? {};
  const problems = explainSchema(PolicySchema, value);
  const diagnostics = problems.map((p) => error("MC2001", `${p.path.length ? `${p.path.join(".")}: ` : ""}${p.message}`, subjectAtPath(source, p.path, p.atKey)));
  if (diagnostics.length > 0) return { diagnostics };
  const document = value as PolicyDocument;
  const warnings: Diagnostic[] = [];
  const always = document.gc?.always_keep;
  if (always) {
    for (const protection of ["last_pass", "last_run", "pinned"] as const) {
      if (!always.includes(protection)) {
        warnings.push({
          severity: "warning", code: "MC2002",
          message: `gc.always_keep: "${protection}" cannot be turned off: mooncake always keeps pinned entries and the last run and last pass of each family`,
          subject: subjectAtPath(source, ["gc", "always_keep"]),
        });
      }
    }
  }
  const seenGlobs = new Map<string, string>();
  for (const [name, family] of Object.entries(document.families ?? {})) {
    const other = seenGlobs.get(family.glob);
    if (other) {
      warnings.push(error("MC2003", `families.${name}: glob "${family.glob}" is already the glob of family "${other}"`, subjectAtPath(source, ["families", name, "glob"])));
    }
    seenGlobs.set(family.glob, name);
  }
  if (warnings.some((w) => w.severity === "error")) return { diagnostics: warnings };
  return { policy: resolvePolicy(document, source.display), diagnostics: warnings };
}

function resolvePolicy(document: PolicyDocument, source: string | null): Policy {
  const toRule = (r: NonNullable<PolicyDocument["retention"]>[string] | undefined, base?: FamilyRule): FamilyRule => {
    const rule: FamilyRule = { keep: r?.keep ?? base?.keep ?? DEFAULT_KEEP, pin: r?.pin ?? [] };
    const within = r?.keep_within ?? base?.keepWithin?.text;
    if (within !== undefined) rule.keepWithin = { text: within, ms: parseAge(within)! };
    const size = r?.max_size !== undefined ? parseSize(r.max_size) : base?.maxSize;
    if (size !== undefined) rule.maxSize = size;
    return rule;
  };
  const fallback = toRule(document.retention?.["*"]);
  const retention: Record<string, FamilyRule> = {};
  for (const [name, r] of Object.entries(document.retention ?? {})) if (name !== "*") retention[name] = toRule(r, fallback);
  const jsonl = document.compaction?.jsonl;
  const markdown = document.compaction?.markdown;
  const indexing = document.indexing;
  return {
    source,
    retention,
    fallback,
    families: Object.entries(document.families ?? {}).map(([name, f]) => ({ name, glob: f.glob })),
    gcAuto: document.gc?.auto ?? false,
    trashRetention: { text: document.trash?.retention ?? DEFAULT_TRASH_RETENTION, ms: parseAge(document.trash?.retention ?? DEFAULT_TRASH_RETENTION)! },
    compaction: {
      jsonl: { enabled: jsonl?.enabled ?? true, minSizeKb: jsonl?.min_size_kb ?? 100, dictThreshold: jsonl?.dict_threshold ?? 5 },
      markdown: {
        enabled: markdown?.enabled ?? false,
        minSizeKb: markdown?.min_size_kb ?? 50,
        removeEmptySections: markdown?.remove_empty_sections ?? true,
        canonicalHeaders: markdown?.canonical_headers ?? true,
      },
    },
    indexing: {
      parallelWorkers: indexing?.parallel_workers ?? 8,
      checksumBufferKb: indexing?.checksum_buffer_size_kb ?? 128,
      maxFilesPerScan: indexing?.max_files_per_scan ?? 1_000_000,
    },
  };
}

/** The policy with `keep` overridden for one call (`gc --keep N`), for `family` or for every family. */
export function withKeep(policy: Policy, keep: number, family?: string): Policy {
  if (family !== undefined) return { ...policy, retention: { ...policy.retention, [family]: { ...ruleFor(policy, family), keep } } };
  const retention = Object.fromEntries(Object.entries(policy.retention).map(([name, rule]) => [name, { ...rule, keep }]));
  return { ...policy, retention, fallback: { ...policy.fallback, keep } };
}
