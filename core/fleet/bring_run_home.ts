import { closeSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ArchiveError } from "../fs/archive_entries.ts";
import { createExclusive } from "../fs/no_follow.ts";
import { tarEntries } from "../fs/tar_entries.ts";
import { writeAll } from "../fs/write_all.ts";

/** A host's run directory holds a few JSON files and logs: far below these. */
const MAX_RUN_BYTES = 4 * 1024 * 1024 * 1024;
const MAX_RUN_ENTRIES = 100_000;

/** The host sent something that is not its run directory; the message says what. */
export class RunHomeError extends Error {}

/**
 * Writes the run directory `runId` that a host sends as a tar stream (`tar -cf - RUN_ID`) to
 * `runsDir/RUN_ID`. The host is not trusted to send only that: every entry must be a regular
 * file or a folder below RUN_ID, and is created new in a folder made here (nothing is written
 * through a link). The folder appears whole or not at all: it is filled under a temporary name.
 */
export async function bringRunHome(tar: AsyncIterable<Uint8Array>, runsDir: string, runId: string): Promise<string> {
  mkdirSync(runsDir, { recursive: true });
  const dest = join(runsDir, runId);
  const partial = join(runsDir, `.${runId}.partial-${process.pid}`);
  mkdirSync(partial);
  try {
    let bytes = 0;
    let entries = 0;
    for await (const entry of tarEntries(tar)) {
      if (++entries > MAX_RUN_ENTRIES) throw new RunHomeError(`the run directory has more than ${MAX_RUN_ENTRIES} entries`);
      const parts = entry.name.split("/");
      if (parts[0] !== runId || parts.some((p) => p === ".." || p === "." || p === "")) throw new RunHomeError(`unexpected entry "${entry.name}" (not below ${runId}/)`);
      const target = join(partial, ...parts.slice(1));
      if (entry.type === "directory") {
        if (parts.length > 1) mkdirSync(target, { recursive: true, mode: 0o755 });
        continue;
      }
      if (entry.type !== "file") throw new RunHomeError(`entry "${entry.name}" is a ${entry.type}, not a file or folder`);
      mkdirSync(join(target, ".."), { recursive: true });
      const fd = createExclusive(target, 0o644);
      try {
        for await (const chunk of entry.body) {
          bytes += chunk.length;
          if (bytes > MAX_RUN_BYTES) throw new RunHomeError(`the run directory holds more than ${MAX_RUN_BYTES} bytes`);
          writeAll(fd, chunk, target);
        }
      } finally {
        closeSync(fd);
      }
    }
    renameSync(partial, dest);
    return dest;
  } catch (e) {
    rmSync(partial, { recursive: true, force: true });
    if (e instanceof ArchiveError) throw new RunHomeError(e.message);
    throw e;
  }
}
