// Reads just enough of an executable's header to tell which OS and CPU it is for: ELF (Linux,
// with its program interpreter, which names the libc), Mach-O (macOS) or PE (Windows).
import { closeSync, openSync, readSync } from "node:fs";

export interface ExecutableFormat {
  format: "elf" | "macho" | "pe" | "unknown";
  arch: "x64" | "arm64" | "other";
  /** ELF only: the program interpreter, e.g. `/lib/ld-musl-aarch64.so.1`. */
  interpreter?: string;
}

const ELF_MACHINES: Record<number, ExecutableFormat["arch"]> = { 0x3e: "x64", 0xb7: "arm64" };
const MACHO_CPUS: Record<number, ExecutableFormat["arch"]> = { 0x01000007: "x64", 0x0100000c: "arm64" };
const PE_MACHINES: Record<number, ExecutableFormat["arch"]> = { 0x8664: "x64", 0xaa64: "arm64" };

export function executableFormat(path: string): ExecutableFormat {
  const fd = openSync(path, "r");
  const read = (offset: number, length: number) => {
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, offset);
    return buffer;
  };
  try {
    const head = read(0, 64);
    if (head.readUInt32BE(0) === 0x7f454c46) {
      // 64-bit little-endian ELF: program headers at e_phoff, PT_INTERP (3) holds the loader path.
      const arch = ELF_MACHINES[head.readUInt16LE(18)] ?? "other";
      const phoff = Number(head.readBigUInt64LE(32));
      const phentsize = head.readUInt16LE(54);
      const phnum = head.readUInt16LE(56);
      for (let i = 0; i < phnum; i++) {
        const ph = read(phoff + i * phentsize, phentsize);
        if (ph.readUInt32LE(0) !== 3) continue;
        const interpreter = read(Number(ph.readBigUInt64LE(8)), Number(ph.readBigUInt64LE(32))).toString("latin1").replace(/\0+$/, "");
        return { format: "elf", arch, interpreter };
      }
      return { format: "elf", arch };
    }
    if (head.readUInt32LE(0) === 0xfeedfacf) return { format: "macho", arch: MACHO_CPUS[head.readUInt32LE(4)] ?? "other" };
    if (head.toString("latin1", 0, 2) === "MZ") {
      const pe = read(head.readUInt32LE(0x3c), 6);
      if (pe.toString("latin1", 0, 4) === "PE\0\0") return { format: "pe", arch: PE_MACHINES[pe.readUInt16LE(4)] ?? "other" };
    }
    return { format: "unknown", arch: "other" };
  } finally {
    closeSync(fd);
  }
}
