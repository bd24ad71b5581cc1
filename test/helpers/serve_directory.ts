import { existsSync, statSync } from "node:fs";
import { join, normalize } from "node:path";

export interface DirectoryServer {
  url: string;
  /** Paths requested so far, in order. */
  requests: string[];
  stop: () => void;
}

/** Serves the files under `root` over HTTP on 127.0.0.1 (a free port), 404 for anything else. */
export function serveDirectory(root: string): DirectoryServer {
  const requests: string[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const path = decodeURIComponent(new URL(request.url).pathname);
      requests.push(path);
      const file = join(root, normalize(path));
      if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) return new Response("not found\n", { status: 404 });
      return new Response(Bun.file(file));
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, requests, stop: () => void server.stop(true) };
}
