import { Value } from "@sinclair/typebox/value";
import { ErrorKind } from "../core/events/event.ts";

/**
 * Failure shaping for run artifacts: every failure gets a kind from the documented set
 * (docs/run-artifacts.md), a message with secrets taken out, and the files that hold the evidence.
 */
export interface ShapedFailure {
  error_kind: ErrorKind;
  error_message: string;
  /** Paths relative to the run directory. */
  evidence: string[];
}

/** Error codes and message fragments that say what kind of failure an untyped error was. */
const KIND_BY_CODE: Readonly<Record<string, ErrorKind>> = {
  ENOENT: "command_not_found",
  EACCES: "permission_denied",
  EPERM: "permission_denied",
  ECONNREFUSED: "network",
  ECONNRESET: "network",
  ENOTFOUND: "network",
  EAI_AGAIN: "network",
  ENETUNREACH: "network",
  EHOSTUNREACH: "network",
  ETIMEDOUT: "network",
  ABORT_ERR: "interrupted",
};

const KIND_BY_MESSAGE: ReadonlyArray<[RegExp, ErrorKind]> = [
  [/checksum|sha256 mismatch|digest mismatch/i, "checksum_mismatch"],
  [/ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|connection refused|could not resolve host/i, "network"],
  [/timed out|timeout/i, "timeout"],
  [/EACCES|EPERM|permission denied|operation not permitted/i, "permission_denied"],
  [/command not found|ENOENT.*spawn/i, "command_not_found"],
  [/interrupted|aborted/i, "interrupted"],
];

/**
 * The documented kind of a failure. A kind the executor already chose is kept; an untyped error
 * (or an `internal` one, or a kind this version does not know) is classified by its code and
 * message, and is `internal` when nothing matches.
 */
export function classifyFailure(error: unknown): ErrorKind {
  const kind = (error as { kind?: unknown } | null)?.kind;
  if (kind !== "internal" && Value.Check(ErrorKind, kind)) return kind;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && KIND_BY_CODE[code]) return KIND_BY_CODE[code];
  const message = messageOf(error);
  return KIND_BY_MESSAGE.find(([pattern]) => pattern.test(message))?.[1] ?? "internal";
}

const REDACTED = "********";
/** Longest message kept; a longer one is cut with the cut stated. */
export const MAX_MESSAGE_CHARS = 4000;

/** Patterns for secrets nobody declared: credentials in URLs, key=value pairs, tokens, private keys. */
const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, `[private key ${REDACTED}]`],
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):[^\s@/]+@/gi, `$1:${REDACTED}@`],
  [/\b(authorization\s*[:=]\s*(?:bearer|basic|token)?\s*)[^\s"',;]+/gi, `$1${REDACTED}`],
  [/\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${REDACTED}`],
  [/\b([A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)[A-Za-z0-9_.-]*["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi, `$1${REDACTED}`],
  [/\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|sk-[A-Za-z0-9_-]{20,})\b/g, REDACTED],
];

/**
 * A message safe to store: secrets matching the known shapes replaced (declared secrets were
 * already redacted by the event bus), and cut to MAX_MESSAGE_CHARS with the cut stated.
 */
export function sanitizeMessage(message: string): string {
  let text = message;
  for (const [pattern, replacement] of SECRET_PATTERNS) text = text.replace(pattern, replacement);
  if (text.length <= MAX_MESSAGE_CHARS) return text;
  return `${text.slice(0, MAX_MESSAGE_CHARS)} [... ${text.length - MAX_MESSAGE_CHARS} more characters cut; see the evidence files]`;
}

/** Kind, clean message and evidence of a failure. */
export function shapeFailure(error: unknown, evidence: readonly string[]): ShapedFailure {
  return { error_kind: classifyFailure(error), error_message: sanitizeMessage(messageOf(error)), evidence: [...evidence] };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : String(error);
}
