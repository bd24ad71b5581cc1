// The presets built into the binary (one folder each under actions/presets/), embedded as text
// at build time so air-gapped hosts have them. test/actions/presets.test.ts checks this list
// against the folders on disk.
import { sha256Bytes } from "../../core/fs/hash_file.ts";
import { existsSync, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import type { EmbeddedPresets } from "../../core/plan/presets.ts";
import { readRegularFile } from "../../core/fs/read_regular_file.ts";
import { writeFileAtomic } from "../../core/fs/write_file_atomic.ts";
import mlHost from "./ml-host/preset.yml" with { type: "text" };

/** Preset name -> (path inside its folder -> content). */
export const EMBEDDED_PRESET_FILES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "ml-host": { "preset.yml": mlHost as unknown as string },
};

/** Where embedded presets are written for use: a folder per content hash, so versions never mix. */
function cacheRoot(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  const hash = sha256Bytes(JSON.stringify(EMBEDDED_PRESET_FILES)).slice(0, 16);
  return join(base, "mooncake", "presets", hash);
}

/** Whether the cached file holds `content`, read no further than its length. */
function sameContent(path: string, content: string): boolean {
  try {
    return readRegularFile(path, Buffer.byteLength(content)).toString("utf8") === content;
  } catch {
    return false;
  }
}

/** The embedded presets, each written to the cache (private folders, atomic files) the first time it is used. */
export const EMBEDDED_PRESETS: EmbeddedPresets = {
  names: () => Object.keys(EMBEDDED_PRESET_FILES),
  folder(name) {
    const files = EMBEDDED_PRESET_FILES[name];
    if (!files) return undefined;
    const folder = join(cacheRoot(), name);
    for (const [path, content] of Object.entries(files)) {
      const target = join(folder, path);
      if (existsSync(target) && sameContent(target, content)) continue;
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
      writeFileAtomic(target, content);
    }
    return folder;
  },
};
