/** Diagnostics are values: every function that can fail on user input returns them and goes on. */

export type Severity = "error" | "warning";

export interface Position {
  line: number;
  col: number;
}

export interface Subject extends Position {
  /** Display path of the file (relative to the working directory when under it). */
  file: string;
}

export interface Diagnostic {
  severity: Severity;
  code: DiagnosticCode;
  message: string;
  subject?: Subject;
  /** Display paths of the files that included the subject's file, outermost first. */
  includeChain?: readonly string[];
}

/**
 * Stable codes: a code is never reused for another meaning. Add new ones at the end of their
 * block.
 */
export const DIAGNOSTIC_CODES = {
  MC1001: "file cannot be read",
  MC1002: "file is empty",
  MC1003: "file is not text",
  MC1004: "file is too large",
  MC1005: "YAML syntax error",
  MC1006: "duplicate key",
  MC1007: "document too deep or aliases expand too far",
  MC1101: "document has the wrong shape",
  MC1102: "unknown key",
  MC1103: "step has no action",
  MC1104: "step has more than one action",
  MC1105: "value does not match the schema",
  MC1106: "key from Ansible that mooncake lacks",
  MC1107: "field not allowed on this action",
  MC1201: "template syntax error",
  MC1202: "expression syntax error",
  MC1301: "include cycle",
  MC1302: "undefined variable",
  MC1303: "expression or template failed to evaluate",
  MC1304: "loop value is not a list",
  MC1305: "vars file is invalid",
  MC1306: "value is only known at run time",
  MC1307: "action not supported on this platform",
  MC1308: "directory for with_filetree cannot be read",
  MC1309: "loop has too many items",
  MC1310: "rendered value does not have its field's format",
  MC1311: "variables refer to each other in a cycle",
  MC1401: "invalid command-line variable",
  MC1501: "preset not found or invalid",
  MC1502: "preset parameter is missing, unknown or invalid",
  MC1601: "safety block or policy file does not match the schema",
  MC1602: "safety workspace entry cannot be rendered now",
  MC1603: "unknown danger category",
  MC1604: "step breaks the safety policy",
  MC1605: "step needs --i-accept-danger",
  MC2001: "artifacts policy does not match the schema",
  MC2002: "artifacts policy setting has no effect",
  MC2003: "artifacts policy names a family twice",
  MC3001: "inventory has the wrong shape",
  MC3002: "inventory INI line is invalid",
  MC3003: "inventory host pattern or range is invalid",
  MC3004: "inventory groups contain each other in a cycle",
  MC3005: "inventory connection variable is invalid",
  MC3006: "inventory variable is refused",
  MC3007: "inventory host or group name is unsafe",
  MC3008: "inventory vars file is invalid",
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export function error(code: DiagnosticCode, message: string, subject?: Subject): Diagnostic {
  return subject ? { severity: "error", code, message, subject } : { severity: "error", code, message };
}

export function warning(code: DiagnosticCode, message: string, subject?: Subject): Diagnostic {
  return subject ? { severity: "warning", code, message, subject } : { severity: "warning", code, message };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** `site.yml -> roles/web.yml -> roles/nginx.yml:12:7: error: MESSAGE` */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.subject ? `${d.subject.file}:${d.subject.line}:${d.subject.col}` : "";
  const chain = d.includeChain?.length ? `${d.includeChain.join(" -> ")} -> ` : "";
  const prefix = where ? `${chain}${where}: ` : "";
  return `${prefix}${d.severity}: ${d.message}`;
}

export interface DiagnosticJson {
  file: string | null;
  line: number | null;
  col: number | null;
  severity: Severity;
  code: DiagnosticCode;
  message: string;
  include_chain: readonly string[];
}

export function diagnosticToJson(d: Diagnostic): DiagnosticJson {
  return {
    file: d.subject?.file ?? null,
    line: d.subject?.line ?? null,
    col: d.subject?.col ?? null,
    severity: d.severity,
    code: d.code,
    message: d.message,
    include_chain: d.includeChain ?? [],
  };
}
