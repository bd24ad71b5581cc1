import { afterEach, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { runConfig } from "../helpers/run_config.ts";
import { sandbox } from "../helpers/converge.ts";
import { runSteps } from "../helpers/run_steps.ts";

let stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops) stop();
  stops = [];
});

/** A port on 127.0.0.1 that nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function listenLater(port: number, afterMs: number): void {
  let server: Server | undefined;
  const timer = setTimeout(() => {
    server = createServer((socket) => socket.end());
    server.listen(port, "127.0.0.1");
  }, afterMs);
  stops.push(() => {
    clearTimeout(timer);
    server?.close();
  });
}

describe("wait", () => {
  test("port: waits for a listener that comes up later, and reports ok, not changed", async () => {
    const tmp = sandbox();
    const port = await freePort();
    listenLater(port, 400);
    const run = await runSteps(tmp.dir, `- wait: { condition: port, host: 127.0.0.1, port: ${port}, timeout: 10s, interval: 100ms }\n`);
    expect(run.errors).toEqual([]);
    expect(run.counts).toMatchObject({ ok: 1, changed: 0 });
  });

  test("port: gives up after the timeout with the last observation and the number of tries", async () => {
    const tmp = sandbox();
    const port = await freePort();
    const run = await runSteps(tmp.dir, `- wait: { condition: port, host: 127.0.0.1, port: ${port}, timeout: 500ms, interval: 100ms }\n`);
    expect(run.errors[0]).toMatch(new RegExp(`^port ${port} on 127\\.0\\.0\\.1: connection refused after 0\\.[0-9]s, [0-9]+ tries$`));
    expect(run.events.find((e) => e.type === "step.finished")?.data).toMatchObject({ error: { kind: "timeout" } });
  });

  test("http: waits until the endpoint answers the wanted status", async () => {
    const tmp = sandbox();
    let ready = false;
    const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("ok", { status: ready ? 200 : 503 }) });
    stops.push(() => server.stop(true));
    const timer = setTimeout(() => { ready = true; }, 300);
    stops.push(() => clearTimeout(timer));
    const run = await runSteps(tmp.dir, `- wait: { condition: http, url: "http://127.0.0.1:${server.port}/health", timeout: 10s, interval: 100ms }\n`);
    expect(run.errors).toEqual([]);
    const failed = await runSteps(tmp.dir, `- wait: { condition: http, url: "http://127.0.0.1:${server.port}/", status: 204, timeout: 300ms, interval: 100ms }\n`);
    expect(failed.errors[0]).toMatch(/: answered 200 after 0\.[0-9]s, [0-9]+ tries$/);
  });

  test("file_exists and file_absent follow the file; a command waits for its exit code", async () => {
    const tmp = sandbox({ "lock": "" });
    const timer = setTimeout(() => writeFileSync(join(tmp.dir, "ready"), ""), 300);
    stops.push(() => clearTimeout(timer));
    const run = await runSteps(tmp.dir, [
      "- wait: { condition: file_exists, path: ready, timeout: 10s, interval: 50ms }",
      "- wait: { condition: command, cmd: 'test -e ready', timeout: 1s }",
      "- wait: { condition: file_absent, path: lock, timeout: 200ms, interval: 50ms }",
      "",
    ].join("\n"));
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/^".*\/lock": exists after 0\.[0-9]s, [0-9]+ tries$/);
    expect(run.counts).toMatchObject({ ok: 2, failed: 1 });
  });

  test("a dry-run says what it would wait for and does not wait", async () => {
    const tmp = sandbox();
    const port = await freePort();
    const run = await runSteps(tmp.dir, `- wait: { condition: port, host: 127.0.0.1, port: ${port}, timeout: 1h }\n`, { dryRun: true });
    expect(run.errors).toEqual([]);
    expect(run.changes[0]).toMatchObject({ kind: "run", reason: `port ${port} on 127.0.0.1: connection refused; would wait up to 1h, looking every 1s` });
  });

  test("an interrupt stops the wait at once", async () => {
    const tmp = sandbox();
    const port = await freePort();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    writeFileSync(join(tmp.dir, "site.yml"), `- wait: { condition: port, host: 127.0.0.1, port: ${port}, timeout: 1h, interval: 10s }\n`);
    const { result } = await runConfig(join(tmp.dir, "site.yml"), { signal: controller.signal });
    expect(result.status).toBe("interrupted");
  });

  test("a condition without the field it needs fails with the field named", async () => {
    const tmp = sandbox();
    const run = await runSteps(tmp.dir, "- wait: { condition: http }\n");
    expect(run.errors).toEqual(['wait: condition http needs "url"']);
  });
});
