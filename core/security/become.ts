import { userInfo } from "node:os";

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

/** Who mooncake runs as, and which programs it could switch users with. */
export interface Identity {
  uid: number;
  name: string;
  /** Whether a program (sudo, runuser) is on the PATH processes start with. */
  has(program: string): boolean;
}

/**
 * The command line that runs `argv` as another user. Nothing is needed when mooncake already is
 * that user; root uses `runuser` when sudo is missing. sudo resets the environment, so the step's
 * own variables, already in the process's environment, are kept by name (`--preserve-env=`),
 * never written on the command line where every local user sees them. With a password, sudo
 * reads it as the first line of standard input (`-S`, with an empty prompt) and the process gets
 * the rest; as root sudo never asks, so none is given.
 */
export function becomeCommand(
  argv: readonly string[],
  options: { user?: string; env: Readonly<Record<string, string>>; stdin?: string; auth: SudoAuth; self: Identity },
): BecomeCommand {
  const { self } = options;
  const target = options.user ?? "root";
  const keepStdin = options.stdin !== undefined ? { stdin: options.stdin } : {};
  if (target === self.name || (target === "root" && self.uid === 0)) return { argv: [...argv], ...keepStdin };
  if (self.uid === 0 && !self.has("sudo") && self.has("runuser")) return { argv: ["runuser", "-u", target, "--", ...argv], ...keepStdin };

  // Root is never asked: a password fed anyway would become the first line the process reads.
  const auth: SudoAuth = self.uid === 0 ? { kind: "none" } : options.auth;
  const mode = auth.kind === "password" ? ["-S", "-p", ""] : auth.kind === "askpass" ? ["-A"] : ["-n"];
  const user = options.user ? ["-u", options.user] : [];
  const names = Object.keys(options.env);
  const preserve = names.length ? [`--preserve-env=${names.join(",")}`] : [];
  const stdin = auth.kind === "password" ? `${auth.password}\n${options.stdin ?? ""}` : options.stdin;
  return { argv: ["sudo", ...mode, ...user, ...preserve, "--", ...argv], ...(stdin !== undefined ? { stdin } : {}) };
}

/** This process's user, and programs looked up on `path`. */
export function currentIdentity(path: string): Identity {
  let name = "";
  try {
    name = userInfo().username;
  } catch {
    // A uid without a passwd entry (some containers): only the uid can match.
  }
  return { uid: process.getuid?.() ?? -1, name, has: (program) => Bun.which(program, { PATH: path }) !== null };
}
