import { isAbsolute, relative } from "node:path";

/** A path as shown to the user: relative to the working directory when under it, else absolute. */
export function displayPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

/** `file:line:col` with the file as `displayPath` shows it. */
export function formatPosition(position: { file: string; line: number; col: number }): string {
  return `${displayPath(position.file)}:${position.line}:${position.col}`;
}
