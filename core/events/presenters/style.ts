/** Terminal colours, or none: NO_COLOR, a pipe or a file get plain text. */
export interface Style {
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const paint = (code: number) => (text: string) => `\x1b[${code}m${text}\x1b[0m`;

export const COLORS: Style = { green: paint(32), yellow: paint(33), red: paint(31), dim: paint(2), bold: paint(1) };

const same = (text: string) => text;
export const PLAIN: Style = { green: same, yellow: same, red: same, dim: same, bold: same };

export function styleFor(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>> = process.env): Style {
  return stream.isTTY && !env.NO_COLOR ? COLORS : PLAIN;
}
