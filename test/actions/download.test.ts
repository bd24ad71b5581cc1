import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { sha256Bytes } from "../../core/fs/hash_file.ts";
import { converge, sandbox } from "../helpers/converge.ts";
import { runSteps } from "../helpers/run_steps.ts";

const BODY = "downloaded payload\n";
const LAST_MODIFIED = "Wed, 01 Jan 2025 00:00:00 GMT";
let server: ReturnType<typeof Bun.serve>;
const requests: { path: string; headers: Record<string, string> }[] = [];
let flaky = 0;

beforeAll(() => {
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const url = new URL(request.url);
      requests.push({ path: url.pathname, headers: Object.fromEntries(request.headers) });
      switch (url.pathname) {
        case "/file":
          if (request.headers.get("if-modified-since") === LAST_MODIFIED) return new Response(null, { status: 304 });
          return new Response(BODY, { headers: { "Last-Modified": LAST_MODIFIED } });
        case "/private":
          return request.headers.get("authorization") === "Bearer t0ken" ? new Response("secret") : new Response("no", { status: 401 });
        case "/broken":
          return new Response("oops", { status: 500 });
        case "/flaky":
          return ++flaky % 2 === 1 ? new Response("busy", { status: 503 }) : new Response("eventually\n");
        case "/hang":
          return new Promise<Response>(() => {});
        default:
          return new Response("not found", { status: 404 });
      }
    },
  });
});
afterAll(() => server.stop(true));

const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;

describe("download", () => {
  test("downloads to a new file, then skips while the sha256 matches; the dry-run makes no request", async () => {
    const tmp = sandbox();
    const yaml = `- download: { url: "${url("/file")}", dest: out/file.txt, sha256: "${sha256Bytes(BODY)}", mode: "0600" }\n`;
    const dry = await runSteps(tmp.dir, yaml, { dryRun: true });
    expect(requests.filter((r) => r.path === "/file")).toEqual([]);
    expect(dry.changes[0]).toMatchObject({ kind: "create", reason: "file does not exist (and 1 parent directory): would download", detail: `${url("/file")} -> ${tmp.path("out/file.txt")}` });
    requests.length = 0;
    const { first, second } = await converge(tmp.dir, yaml);
    expect(requests.filter((r) => r.path === "/file")).toHaveLength(1);
    expect(readFileSync(tmp.path("out/file.txt"), "utf8")).toBe(BODY);
    expect((statSync(tmp.path("out/file.txt")).mode & 0o777).toString(8)).toBe("600");
    expect(first.files.at(-1)).toEqual({ path: tmp.path("out/file.txt"), operation: "created", size_bytes: BODY.length, kind: "file" });
    expect(second.changes[0]).toMatchObject({ kind: "none", reason: "sha256 matches" });
  });

  test("a wrong checksum fails the step and leaves the old file untouched, with no temporary left", async () => {
    const tmp = sandbox({ "file.txt": "old content" });
    const run = await runSteps(tmp.dir, `- download: { url: "${url("/file")}", dest: file.txt, sha256: "${"a".repeat(64)}" }\n`);
    expect(run.errors).toEqual([`Cannot download "${url("/file")}": its sha256 is ${sha256Bytes(BODY)}, expected ${"a".repeat(64)}`]);
    expect(readFileSync(tmp.path("file.txt"), "utf8")).toBe("old content");
    expect(readdirSync(tmp.dir).sort()).toEqual(["file.txt", "site.yml"]);
  });

  test("without sha256 an existing file is kept; force asks again with If-Modified-Since and a 304 changes nothing", async () => {
    const tmp = sandbox();
    await converge(tmp.dir, `- download: { url: "${url("/file")}", dest: f.txt }\n`);
    expect(statSync(tmp.path("f.txt")).mtime.toUTCString()).toBe(LAST_MODIFIED);
    requests.length = 0;
    const forced = await runSteps(tmp.dir, `- download: { url: "${url("/file")}", dest: f.txt, force: true }\n`);
    expect(forced.counts).toMatchObject({ ok: 1, changed: 0 });
    expect(requests[0]?.headers["if-modified-since"]).toBe(LAST_MODIFIED);
  });

  test("headers are sent", async () => {
    const tmp = sandbox();
    await converge(tmp.dir, `- download: { url: "${url("/private")}", dest: p.txt, headers: { Authorization: "Bearer t0ken" } }\n`);
    expect(readFileSync(tmp.path("p.txt"), "utf8")).toBe("secret");
  });

  test("a 500 fails after the retries, a 404 at once, and nothing is written", async () => {
    const tmp = sandbox();
    requests.length = 0;
    const broken = await runSteps(tmp.dir, `- download: { url: "${url("/broken")}", dest: b.txt, retries: 1 }\n`);
    expect(broken.errors).toEqual([`Cannot download "${url("/broken")}": the server answered 500 Internal Server Error`]);
    expect(requests.filter((r) => r.path === "/broken")).toHaveLength(2);
    const missing = await runSteps(tmp.dir, `- download: { url: "${url("/missing")}", dest: m.txt, retries: 3 }\n`);
    expect(missing.errors).toEqual([`Cannot download "${url("/missing")}": the server answered 404 Not Found`]);
    expect(requests.filter((r) => r.path === "/missing")).toHaveLength(1);
    expect(readdirSync(tmp.dir)).toEqual(["site.yml"]);
  });

  test("a 503 followed by success is retried", async () => {
    const tmp = sandbox();
    flaky = 0;
    await converge(tmp.dir, `- download: { url: "${url("/flaky")}", dest: f.txt, retries: 1 }\n`);
    expect(readFileSync(tmp.path("f.txt"), "utf8")).toBe("eventually\n");
  });

  test("a server that hangs past timeout_s fails the step as a timeout", async () => {
    const tmp = sandbox();
    const run = await runSteps(tmp.dir, `- download: { url: "${url("/hang")}", dest: h.txt, timeout_s: 0.2, retries: 0 }\n`);
    const finished = run.events.find((e) => e.type === "step.finished");
    expect(finished?.type === "step.finished" && finished.data.error).toEqual({ kind: "timeout", message: `Cannot download "${url("/hang")}": no complete answer within 0.2 s` });
    expect(readdirSync(tmp.dir)).toEqual(["site.yml"]);
  });

  test("a dest whose parent is a file fails in the dry-run", async () => {
    const tmp = sandbox({ blocker: "" });
    writeFileSync(tmp.path("blocker"), "x");
    const run = await runSteps(tmp.dir, `- download: { url: "${url("/file")}", dest: blocker/f.txt }\n`, { dryRun: true });
    expect(run.errors).toEqual([`Cannot download to "${tmp.path("blocker/f.txt")}": "${tmp.path("blocker")}" is a file, not a directory`]);
  });
});
