import { basename } from "node:path";

/** Shells whose `-c` script can be read from standard input instead. */
const POSIX_SHELLS = new Set(["sh", "bash", "dash", "zsh", "ksh"]);

export type SecretFreeCommand = { argv: string[]; stdin?: string } | { refusal: string };

/**
 * Keeps secret values out of a process's command line, which every local user can read (`ps`,
 * /proc/PID/cmdline). A `sh -c SCRIPT` whose script holds a secret gets a fixed reader as its
 * script and the real one on standard input, ahead of the step's own input, which the script
 * still reads after it. Any other command line holding a secret is refused.
 */
export function secretFreeArgv(argv: readonly string[], stdin: string | undefined, holdsSecret: (text: string) => boolean): SecretFreeCommand {
  if (!argv.some(holdsSecret)) return { argv: [...argv], ...(stdin !== undefined ? { stdin } : {}) };
  const [shell, flag, script, ...rest] = argv;
  if (shell !== undefined && POSIX_SHELLS.has(basename(shell)) && flag === "-c" && script !== undefined && rest.length === 0) {
    // `read` takes one byte at a time from a pipe, so input after the marker is left for the script.
    const marker = `MOONCAKE_END_${Buffer.from(crypto.getRandomValues(new Uint8Array(8))).toString("hex")}`;
    const reader = `s=; while IFS= read -r l && [ "$l" != ${marker} ]; do s="$s$l\n"; done; eval "$s"`;
    return { argv: [shell, "-c", reader], stdin: `${script}\n${marker}\n${stdin ?? ""}` };
  }
  return { refusal: `A secret would be visible to every local user on the command line of "${basename(shell ?? "")}": pass it through env or stdin, or use it in a shell step` };
}
