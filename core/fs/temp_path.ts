import { basename, dirname, join } from "node:path";

let counter = 0;

/** What `tempPathBeside` names: `.results.json.4242.m3k2x0.tmp`, the writer's pid captured. */
export const TEMP_NAME = /^\..+\.(\d+)\.[0-9a-z]+\.tmp$/;

/** A fresh hidden name in the same directory as `path`, so a rename onto `path` is atomic. */
export function tempPathBeside(path: string, suffix = "tmp"): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}${(counter++).toString(36)}.${suffix}`);
}
