import { mapStrings } from "../template/map_strings.ts";
import { parseTemplate, TemplateSyntaxError } from "../template/parse_template.ts";

/**
 * The keys of a vars block, each after the keys of the same block its templates read (a key
 * reading its own name means the value from before the block), in written order otherwise;
 * keys on a cycle are left out and each cycle is returned as its chain (`a -> b -> a`).
 */
export function varsOrder(vars: Readonly<Record<string, unknown>>): { order: string[]; cycles: string[][] } {
  const uses = (key: string): string[] => {
    const names = new Set<string>();
    mapStrings(vars[key], (text) => {
      for (const name of referencesOf(text)) if (name !== key && Object.hasOwn(vars, name)) names.add(name);
      return text;
    });
    return [...names];
  };
  const order: string[] = [];
  const cycles: string[][] = [];
  const done = new Set<string>();
  const visit = (key: string, stack: string[]): void => {
    if (done.has(key)) return;
    const seen = stack.indexOf(key);
    if (seen !== -1) {
      cycles.push([...stack.slice(seen), key]);
      for (const k of stack.slice(seen)) done.add(k);
      return;
    }
    for (const name of uses(key)) visit(name, [...stack, key]);
    if (done.has(key)) return;
    done.add(key);
    order.push(key);
  };
  for (const key of Object.keys(vars)) visit(key, []);
  return { order, cycles };
}

/** Names a template reads; one that does not parse reads none (checkTemplates reported it). */
function referencesOf(text: string): readonly string[] {
  try {
    return parseTemplate(text).references;
  } catch (e) {
    if (e instanceof TemplateSyntaxError) return [];
    throw e;
  }
}
