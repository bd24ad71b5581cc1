/** Facts as aligned `name  value` lines, nested values flattened to dotted paths (`cpu.model`, `disks[0].mount`). */
export function formatFactsText(facts: Readonly<Record<string, unknown>>): string {
  const rows: [string, string][] = [];
  const visit = (path: string, value: unknown): void => {
    if (Array.isArray(value) && value.some((v) => v !== null && typeof v === "object")) {
      value.forEach((item, i) => visit(`${path}[${i}]`, item));
    } else if (Array.isArray(value)) {
      rows.push([path, value.join(" ")]);
    } else if (value !== null && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) visit(path ? `${path}.${key}` : key, child);
    } else {
      rows.push([path, String(value)]);
    }
  };
  visit("", facts);
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`.trimEnd()).join("\n") + "\n";
}
