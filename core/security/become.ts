/** Where sudo gets its password from, decided once per run. */
export type SudoAuth =
  | { kind: "password"; password: string }
  /** `SUDO_ASKPASS` names a program that asks; sudo runs it (`sudo -A`). */
  | { kind: "askpass" }
  /** No password: sudo must not ask (`sudo -n`), so a rule needing one fails at once. */
  | { kind: "none" };

export interface BecomeCommand {
  argv: string[];
  stdin?: string;
}

/**
 * The command line that runs `argv` through sudo. sudo resets the environment, so the step's
 * own variables are passed on through `env`. With a password, sudo reads it as the first line
 * of standard input (`-S`, with an empty prompt) and the process gets the rest.
 */
export function becomeCommand(
  argv: readonly string[],
  options: { user?: string; env: Readonly<Record<string, string>>; stdin?: string; auth: SudoAuth },
): BecomeCommand {
  const mode = options.auth.kind === "password" ? ["-S", "-p", ""] : options.auth.kind === "askpass" ? ["-A"] : ["-n"];
  const user = options.user ? ["-u", options.user] : [];
  const assignments = Object.entries(options.env).map(([k, v]) => `${k}=${v}`);
  const program = assignments.length ? ["env", ...assignments, ...argv] : [...argv];
  const stdin = options.auth.kind === "password" ? `${options.auth.password}\n${options.stdin ?? ""}` : options.stdin;
  return { argv: ["sudo", ...mode, ...user, "--", ...program], ...(stdin !== undefined ? { stdin } : {}) };
}
