import { dlopen, FFIType } from "bun:ffi";
import { readFileSync } from "node:fs";

const STDIO = [0, 1, 2];
const F_SETFL = 4;
const LIBC = ["libc.so.6", `libc.musl-${process.arch === "arm64" ? "aarch64" : "x86_64"}.so.1`, "libc.so"];

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
    const fcntl = openFcntl();
    for (const fd of changed) fcntl?.(fd, F_SETFL, before[fd]!);
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

function openFcntl(): ((fd: number, command: number, flags: number) => number) | undefined {
  for (const name of LIBC) {
    try {
      const { symbols } = dlopen(name, { fcntl: { args: [FFIType.i32, FFIType.i32, FFIType.i32], returns: FFIType.i32 } });
      return (fd, command, flags) => symbols.fcntl(fd, command, flags);
    } catch {
      // Not this C library; try the next name.
    }
  }
  return undefined;
}
