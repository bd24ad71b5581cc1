import { error, type Diagnostic, type Position } from "./diagnostics.ts";
import type { SourceFile } from "./source_file.ts";

const KEY = /^([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]|$)/;

/**
 * Finds each step of a block-style steps list by its `- ` line, without building a syntax
 * tree: the position of every step (its origin in the plan) and keys repeated within a step
 * or at the top level, which the fast parser would silently collapse. Returns undefined when
 * the layout is not the plain block style, so the caller falls back to the syntax tree.
 */
export function scanSteps(file: SourceFile, underStepsKey: boolean, count: number): { positions: Position[]; diagnostics: Diagnostic[] } | undefined {
  const lines = file.text.split("\n");
  const diagnostics: Diagnostic[] = [];
  const duplicate = (key: string, line: number, col: number) =>
    diagnostics.push(error("MC1006", `Duplicate key "${key}": the later value would silently replace the earlier one`, { file: file.display, line: line + 1, col }));

  let start = 0;
  if (underStepsKey) {
    const topKeys = new Set<string>();
    lines.forEach((text, i) => {
      const key = KEY.exec(text)?.[1];
      if (key === undefined) return;
      if (topKeys.has(key)) duplicate(key, i, 1);
      topKeys.add(key);
    });
    start = lines.findIndex((l) => /^steps:[ \t]*(#.*)?$/.test(l)) + 1;
    if (start === 0) return undefined;
  }

  const positions: Position[] = [];
  let itemIndent = -1;
  let stepKeys = new Set<string>();
  for (let i = start; i < lines.length; i++) {
    const text = lines[i]!;
    const indent = text.length - text.trimStart().length;
    const rest = text.slice(indent);
    if (rest === "" || rest.startsWith("#")) continue;
    if (itemIndent === -1) {
      if (!rest.startsWith("- ")) return undefined;
      itemIndent = indent;
    }
    if (indent < itemIndent || (indent === itemIndent && !rest.startsWith("- ") && rest !== "-")) break;
    if (indent === itemIndent) {
      if (rest === "-") return undefined;
      positions.push({ line: i + 1, col: indent + 3 });
      stepKeys = new Set();
      checkKey(rest.slice(2), i, indent + 3);
    } else if (indent === itemIndent + 2) {
      checkKey(rest, i, indent + 1);
    }
  }
  return positions.length === count ? { positions, diagnostics } : undefined;

  function checkKey(text: string, line: number, col: number): void {
    const key = KEY.exec(text)?.[1];
    if (key === undefined) return;
    if (stepKeys.has(key)) duplicate(key, line, col);
    stepKeys.add(key);
  }
}
