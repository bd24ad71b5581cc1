/**
 * A file mode from a config: the string "0644" (or "644", "755", "1777") is octal. A number is
 * what YAML made of an unquoted `mode: 0644`, the decimal 644, so its decimal digits are read as
 * octal when they are all 0-7 (`644` -> 0o644); any other number is refused rather than guessed.
 */
export function parseMode(value: string | number): number {
  const digits = typeof value === "number" ? (Number.isInteger(value) && value >= 0 ? String(value) : "") : value.trim();
  if (!/^[0-7]{1,5}$/.test(digits) || Number.parseInt(digits, 8) > 0o7777) {
    throw new Error(`Invalid mode ${JSON.stringify(value)}: expected octal digits such as "0644"`);
  }
  return Number.parseInt(digits, 8);
}

/** A mode as the user writes it: "0644". */
export function formatMode(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, "0");
}
