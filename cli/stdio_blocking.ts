import { FFIType } from "bun:ffi";
import { readFileSync } from "node:fs";
import { openLibc } from "./libc.ts";

const STDIO = [0, 1, 2];
const F_SETFL = 4;

/**
 * Bun sets O_NONBLOCK on the standard streams it writes to, and the flag belongs to the file
 * description the shell shares with the next program, which then fails to write ("Resource
 * temporarily unavailable"; Ansible refuses to start). This remembers the flags mooncake was
 * given and puts them back when it exits. Linux only: the flags are read from
 * /proc/self/fdinfo, and fcntl is variadic, which a foreign call on macOS arm64 cannot pass.
 */
export function restoreStdioFlagsOnExit(): void {
  if (process.platform !== "linux") return;
  const before = STDIO.map(statusFlags);
  process.on("exit", () => {
    const changed = STDIO.filter((fd) => before[fd] !== undefined && statusFlags(fd) !== before[fd]);
    if (changed.length === 0) return;
    const libc = openLibc({ fcntl: { args: [FFIType.i32, FFIType.i32, FFIType.i32], returns: FFIType.i32 } });
    for (const fd of changed) libc?.fcntl(fd, F_SETFL, before[fd]!);
  });
}

function statusFlags(fd: number): number | undefined {
  try {
    const flags = /^flags:\s*([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, "utf8"))?.[1];
    return flags === undefined ? undefined : parseInt(flags, 8);
  } catch {
    return undefined;
  }
}
