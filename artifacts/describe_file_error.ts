import { describeFsError } from "../core/config/source_file.ts";

const VERBS: Readonly<Record<string, string>> = {
  open: "write", write: "write", fsync: "write", ftruncate: "write", link: "write", mkdir: "create directory",
  rename: "move", unlink: "remove", rmdir: "remove", read: "read", scandir: "read",
};

/** `Cannot write ".mooncake/.manifest.json": no space left on device`: a file error with its path, in words. */
export function describeFileError(e: unknown): string {
  const error = e as NodeJS.ErrnoException;
  if (error?.code === undefined || error.path === undefined) return e instanceof Error ? e.message : String(e);
  const verb = VERBS[error.syscall ?? ""] ?? "use";
  return `Cannot ${verb} "${error.path}": ${describeFsError(e)}`;
}
