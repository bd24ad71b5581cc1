import { lstatSync, realpathSync } from "node:fs";
import { extname, join, sep } from "node:path";
import type { DashboardModel } from "./model.ts";
import { renderDashboardHtml } from "./render_html.ts";

export interface ServeOptions {
  /** Builds the model afresh from the artifact tree. */
  build: () => DashboardModel;
  host: string;
  port: number;
  /** The shortest pause between two reads of the tree, in ms; a slow read waits longer (4x its time). */
  refreshMs?: number;
}

export interface DashboardServer {
  url: string;
  stop: () => void;
}

const TEXT_TYPES: Readonly<Record<string, string>> = {
  ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
  ".json": "application/json; charset=utf-8",
};

/** Whether a host name or address is this machine's loopback (so the server is reachable from here only). */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || bare === "::1" || /^127(\.\d{1,3}){3}$/.test(bare);
}

/**
 * Serves the dashboard: `/` the page, `/model.json` the model, `/events` a server-sent event
 * stream that sends a new model whenever the tree's reading changes, and `/artifact/PATH` the
 * files of the tree (never outside it, never as HTML the browser would run).
 */
export function serveDashboard(options: ServeOptions): DashboardServer {
  let model = options.build();
  const root = model.root;
  let modelJson = JSON.stringify(model);
  let fingerprint = withoutTime(modelJson);
  const clients = new Set<ReadableStreamDefaultController<Uint8Array>>();
  const encoder = new TextEncoder();
  const send = (controller: ReadableStreamDefaultController<Uint8Array>, chunk: string) => {
    try {
      controller.enqueue(encoder.encode(chunk));
    } catch {
      clients.delete(controller);
    }
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  const refresh = () => {
    const started = performance.now();
    const next = options.build();
    const json = JSON.stringify(next);
    const print = withoutTime(json);
    if (print !== fingerprint) {
      model = next;
      modelJson = json;
      fingerprint = print;
      for (const client of clients) send(client, `event: model\ndata: ${json}\n\n`);
    }
    const pause = Math.max(options.refreshMs ?? 1000, 4 * (performance.now() - started));
    timer = setTimeout(refresh, pause);
  };
  timer = setTimeout(refresh, options.refreshMs ?? 1000);
  const heartbeat = setInterval(() => {
    for (const client of clients) send(client, ": keep-alive\n\n");
  }, 15_000);

  const server = Bun.serve({
    hostname: options.host,
    port: options.port,
    // The event stream stays open for as long as the page does.
    idleTimeout: 0,
    fetch(request) {
      const url = new URL(request.url);
      if (!hostAllowed(request.headers.get("host"), options.host)) {
        return new Response("Forbidden: this dashboard answers to its own address only\n", { status: 403 });
      }
      if (request.method !== "GET" && request.method !== "HEAD") return new Response("Method not allowed\n", { status: 405 });
      if (url.pathname === "/") {
        return new Response(renderDashboardHtml(model, { live: true }), { headers: headers("text/html; charset=utf-8") });
      }
      if (url.pathname === "/model.json") return new Response(modelJson, { headers: headers("application/json; charset=utf-8") });
      if (url.pathname === "/events") {
        let mine: ReadableStreamDefaultController<Uint8Array> | undefined;
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            mine = controller;
            clients.add(controller);
            send(controller, `retry: 2000\nevent: model\ndata: ${modelJson}\n\n`);
          },
          cancel() {
            if (mine) clients.delete(mine);
          },
        });
        return new Response(stream, { headers: { ...headers("text/event-stream"), connection: "keep-alive" } });
      }
      if (url.pathname.startsWith("/artifact/")) return artifactFile(root, url.pathname.slice("/artifact/".length));
      return new Response("Not found\n", { status: 404 });
    },
  });

  return {
    url: `http://${server.hostname?.includes(":") ? `[${server.hostname}]` : server.hostname}:${server.port}/`,
    stop: () => {
      clearTimeout(timer);
      clearInterval(heartbeat);
      for (const client of clients) {
        try {
          client.close();
        } catch {
          // already closed by the browser
        }
      }
      clients.clear();
      void server.stop(true);
    },
  };
}

/** The model's JSON without its generation time, to tell whether anything the page shows changed. */
function withoutTime(json: string): string {
  return json.replace(/"generated_at":"[^"]*"/, "");
}

function headers(type: string): Record<string, string> {
  return { "content-type": type, "cache-control": "no-store", "x-content-type-options": "nosniff", "referrer-policy": "no-referrer" };
}

/**
 * A page on another origin that makes the browser resolve its own name to 127.0.0.1 (DNS
 * rebinding) sends its own Host header: a loopback server answers loopback names only.
 */
function hostAllowed(hostHeader: string | null, boundHost: string): boolean {
  if (!isLoopback(boundHost)) return true;
  if (!hostHeader) return false;
  const name = hostHeader.startsWith("[") ? hostHeader.slice(0, hostHeader.indexOf("]") + 1) : hostHeader.split(":")[0]!;
  return isLoopback(name);
}

/** A regular file inside the tree, by its path relative to the root; links are followed only when they stay inside. */
function artifactFile(root: string, encoded: string): Response {
  let rel: string;
  try {
    rel = decodeURIComponent(encoded);
  } catch {
    return new Response("Bad path\n", { status: 400 });
  }
  const parts = rel.split("/");
  if (rel.includes("\0") || parts.some((p) => p === "" || p.startsWith("."))) {
    return new Response("Not found\n", { status: 404 });
  }
  const path = join(root, ...parts);
  let real: string;
  try {
    real = realpathSync(path);
    const realRoot = realpathSync(root);
    if (!real.startsWith(realRoot + sep) || !lstatSync(real).isFile()) return new Response("Not found\n", { status: 404 });
  } catch {
    return new Response("Not found\n", { status: 404 });
  }
  const type = TEXT_TYPES[extname(real).toLowerCase()] ?? "text/plain; charset=utf-8";
  return new Response(Bun.file(real), {
    headers: { ...headers(type), "content-security-policy": "default-src 'none'; sandbox" },
  });
}
