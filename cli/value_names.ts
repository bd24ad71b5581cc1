/**
 * What each option's value is, as help shows it (`--config FILE`, `--format text|json`):
 * clipanion itself prints `#0`. A key "COMMAND --option" names the value for one command only.
 */
const VALUE_NAMES: Readonly<Record<string, string>> = {
  "--config": "FILE",
  "--vars": "FILE",
  "--secret-vars": "FILE",
  "--var": "NAME=VALUE",
  "--format": "text|json",
  "plan --format": "text|json|yaml",
  "--log-format": "text|json",
  "--log-level": "debug|info|warn|error",
  "--from-plan": "FILE",
  "--tags": "TAG[,TAG]",
  "--output": "FILE",
  "--facts-json": "FILE",
  "--sudo-pass-file": "FILE",
  "--sudo-pass": "PASSWORD",
  "--max-output-bytes": "BYTES",
  "--max-output-lines": "LINES",
  "--artifacts-dir": "DIR",
  "--root": "DIR",
  "--policy": "FILE",
  "--wait": "SECONDS",
  "--keep": "COUNT",
  "--family": "NAME",
  "--id": "ID",
  "--older-than": "AGE",
  "--port": "PORT",
  "--host": "HOST",
};

/** `-c,--config #0` -> `-c,--config FILE`, for the options of the command at `path` ("runs list"). */
export function nameValues(text: string, path: string): string {
  return text.replace(/(--[\w-]+) #0/g, (_, option: string) => `${option} ${VALUE_NAMES[`${path} ${option}`] ?? VALUE_NAMES[option] ?? "VALUE"}`);
}

/** The command path a usage line starts with: "mooncake runs list [--artifacts-dir ...]" -> "runs list". */
export function commandPathOf(usage: string): string {
  const plain = usage.replace(/\x1b\[[0-9;]*m/g, "");
  return /mooncake((?: [a-z][a-z-]*)*)/.exec(plain)?.[1]?.trim() ?? "";
}
