import { readFileSync, statSync } from "node:fs";
import type { SudoAuth } from "./become.ts";

export interface SudoPasswordOptions {
  askBecomePass: boolean;
  sudoPassFile?: string;
  sudoPass?: string;
  insecureSudoPass: boolean;
  /** The value of SUDO_ASKPASS, if set. */
  askpass?: string;
}

/** A password source given wrongly; the message says how to give it right. */
export class SudoPasswordError extends Error {
  override name = "SudoPasswordError";
}

/**
 * Decides where sudo's password comes from. At most one source may be given; a password file
 * must be private (mode 0600 or stricter) and a password on the command line, which other users
 * can read from the process list, needs --insecure-sudo-pass.
 */
export async function resolveSudoAuth(options: SudoPasswordOptions, prompt: () => Promise<string>): Promise<SudoAuth> {
  const given = [
    options.askBecomePass && "--ask-become-pass",
    options.sudoPassFile !== undefined && "--sudo-pass-file",
    options.sudoPass !== undefined && "--sudo-pass",
  ].filter(Boolean);
  if (given.length > 1) throw new SudoPasswordError(`Give one sudo password source, not ${given.join(" and ")}`);
  if (options.sudoPass !== undefined) {
    if (!options.insecureSudoPass) {
      throw new SudoPasswordError("--sudo-pass shows the password to every user of this machine: add --insecure-sudo-pass to accept that, or use --sudo-pass-file or --ask-become-pass");
    }
    return { kind: "password", password: options.sudoPass };
  }
  if (options.sudoPassFile !== undefined) return { kind: "password", password: readPasswordFile(options.sudoPassFile) };
  if (options.askBecomePass) return { kind: "password", password: await prompt() };
  if (options.askpass) return { kind: "askpass" };
  return { kind: "none" };
}

function readPasswordFile(path: string): string {
  let mode: number;
  try {
    mode = statSync(path).mode & 0o777;
  } catch {
    throw new SudoPasswordError(`Cannot read sudo password file "${path}": it does not exist`);
  }
  if ((mode & 0o077) !== 0) {
    throw new SudoPasswordError(`Refusing sudo password file "${path}": its mode is ${mode.toString(8).padStart(4, "0")}, others can read it; run chmod 600 "${path}"`);
  }
  const text = readFileSync(path, "utf8");
  return text.split(/\r?\n/)[0] ?? "";
}
