import { dlopen, type FFIFunction } from "bun:ffi";

const NAMES: Partial<Record<NodeJS.Platform, readonly string[]>> = {
  linux: ["libc.so.6", `libc.musl-${process.arch === "arm64" ? "aarch64" : "x86_64"}.so.1`, "libc.so"],
  darwin: ["libSystem.B.dylib"],
};

/**
 * Functions of the C library, or undefined where none of its names opens (Windows, an unknown
 * libc): callers fall back to what Node offers. A call through bun:ffi costs little, where the
 * Node modules that wrap the same calls (node:tty) load Node's stream machinery first.
 */
export function openLibc<Fns extends Record<string, FFIFunction>>(symbols: Fns) {
  for (const name of NAMES[process.platform] ?? []) {
    try {
      return dlopen(name, symbols).symbols;
    } catch {
      // Not this C library; try the next name.
    }
  }
  return undefined;
}
