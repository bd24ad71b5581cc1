import { chmodSync, chownSync, renameSync, rmSync } from "node:fs";
import type { WantedAttributes } from "./file_attributes.ts";
import { tempPathBeside } from "./temp_path.ts";

export type InstallAttributes = WantedAttributes & { mode: number };

/**
 * Fills a temporary file beside `dest` (`fill` writes it), gives it its mode and owner, then
 * renames it over `dest`: readers see the old file or the new one, and a failure leaves the
 * old one untouched.
 */
export async function installFile(dest: string, fill: (temporary: string) => unknown, attributes: InstallAttributes): Promise<void> {
  const temporary = tempPathBeside(dest);
  try {
    await fill(temporary);
    installTemporary(temporary, dest, attributes);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw e;
  }
}

/** Gives a finished temporary file its mode and owner and renames it over `dest`. */
export function installTemporary(temporary: string, dest: string, attributes: InstallAttributes): void {
  if (attributes.uid !== undefined || attributes.gid !== undefined) chownSync(temporary, attributes.uid ?? -1, attributes.gid ?? -1);
  chmodSync(temporary, attributes.mode);
  renameSync(temporary, dest);
}
