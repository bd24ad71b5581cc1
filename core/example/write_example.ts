import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { writeFileAtomic } from "../fs/write_file_atomic.ts";
import { BUNDLED_EXAMPLE } from "./bundled_example.ts";

export interface ExampleFile {
  path: string;
  /** `created`, `updated` (overwritten with --force) or `unchanged` (already identical). */
  status: "created" | "updated" | "unchanged";
}

/** A file in the way of the example: it exists with other content and `force` was not given. */
export class ExampleConflictError extends Error {
  constructor(readonly path: string) {
    super(`Cannot write the example: "${path}" already exists with other content (--force overwrites it)`);
  }
}

/** The line by which editors using yaml-language-server (VS Code, Neovim) know a file's schema. */
const SCHEMA_MODELINE = /^# yaml-language-server: \$schema=\S+$/m;
export const SCHEMA_FILE = "config.schema.json";

/**
 * Writes the bundled example into `dir` (`site.yml` and the files it uses). Checks every file
 * before writing any, so a conflict leaves the directory as it was; running it twice is harmless.
 * With `schema` (the config's JSON Schema), writes it beside them as config.schema.json and
 * points the configs' schema lines at it, so an editor checks them offline.
 */
export function writeExample(dir: string, force = false, schema?: string): ExampleFile[] {
  const bundle = schema === undefined ? BUNDLED_EXAMPLE : withSchema(BUNDLED_EXAMPLE, schema);
  const files = Object.entries(bundle).map(([name, content]) => {
    const path = join(dir, name);
    const existing = existsSync(path) ? readFileSync(path, "utf8") : undefined;
    const status: ExampleFile["status"] = existing === undefined ? "created" : existing === content ? "unchanged" : "updated";
    if (status === "updated" && !force) throw new ExampleConflictError(path);
    return { path, content, status };
  });
  for (const file of files) {
    if (file.status === "unchanged") continue;
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileAtomic(file.path, file.content);
  }
  return files.map(({ path, status }) => ({ path, status }));
}

function withSchema(bundle: Readonly<Record<string, string>>, schema: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, content] of Object.entries(bundle)) {
    const target = relative(dirname(name), SCHEMA_FILE);
    files[name] = content.replace(SCHEMA_MODELINE, `# yaml-language-server: $schema=${target.startsWith(".") ? target : `./${target}`}`);
  }
  files[SCHEMA_FILE] = schema;
  return files;
}
