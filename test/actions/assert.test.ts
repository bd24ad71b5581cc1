import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, writeFileSync } from "node:fs";
import { selectJsonPath } from "../../actions/assert_http.ts";
import { runConfig } from "../helpers/run_config.ts";
import { tempDir } from "../helpers/temp_dir.ts";

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const remove of cleanup) remove();
  cleanup = [];
});

let server: ReturnType<typeof Bun.serve>;
beforeAll(() => {
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const path = new URL(request.url).pathname;
      if (path === "/health") return Response.json({ status: "ok", items: [{ name: "llama3" }] });
      if (path === "/echo-method") return new Response(request.method);
      return new Response("down", { status: 503 });
    },
  });
});
afterAll(() => server.stop(true));

/** Each assert as its own step (ignore_errors keeps the run going), run for real and as a dry-run. */
async function verdicts(asserts: readonly string[]) {
  const tmp = tempDir({ "data.txt": "hello world\n" });
  cleanup.push(tmp.remove);
  chmodSync(tmp.path("data.txt"), 0o640);
  const steps = asserts.map((a) => `- assert: ${a}\n  ignore_errors: true\n`).join("");
  writeFileSync(tmp.path("site.yml"), `vars: {port: 8080, base: "${server.url.origin}"}\nsteps:\n${steps}`);
  const run = await runConfig(tmp.path("site.yml"));
  const dry = await runConfig(tmp.path("site.yml"), { dryRun: true });
  const summary = (f: Record<string, any>) => ({ status: f.status, changed: f.changed, message: f.error?.message ?? f.change?.reason, kind: f.error?.kind });
  expect(dry.steps.map(summary)).toEqual(run.steps.map(summary));
  return { results: run.steps.map(summary), dir: tmp.dir };
}

describe("assert", () => {
  test("expr: true passes, false says which values made it false", async () => {
    const { results } = await verdicts(["{expr: 'port == 8080'}", "{expr: 'port > 9000', msg: Port too low}"]);
    expect(results).toEqual([
      { status: "ok", changed: false, message: '"port == 8080" is true', kind: undefined },
      { status: "failed", changed: false, kind: "assertion", message: 'Port too low: assertion failed (expression "port > 9000"): expected it to be true, found false (port is number 8080)' },
    ]);
  });

  test("command: exit code and output, each mismatch stated", async () => {
    const { results } = await verdicts([
      "{command: {cmd: 'echo ready'}}",
      "{command: {cmd: 'echo ready; echo oops >&2; exit 3', rc: 0}}",
      "{command: {cmd: 'exit 3', exit_code: 3}}",
      "{command: {cmd: 'echo version 1.2', stdout_contains: '2.0', stdout_regex: '^version [0-9]+'}}",
      "{command: {cmd: 'echo version 1.2', stdout_regex: '^version 2'}}",
    ]);
    expect(results.map((r) => [r.status, r.message])).toEqual([
      ["ok", 'command "echo ready" exited 0'],
      ["failed", 'Assertion failed (command "echo ready; echo oops >&2; exit 3"): expected exit code 0, found 3 (stderr: "oops")'],
      ["ok", 'command "exit 3" exited 3'],
      ["failed", 'Assertion failed (command "echo version 1.2"): expected stdout to contain "2.0", found "version 1.2\\n"'],
      ["failed", 'Assertion failed (command "echo version 1.2"): expected stdout to match /^version 2/, found "version 1.2\\n"'],
    ]);
  });

  test("command: timeout_s stops a command that does not finish", async () => {
    const { results } = await verdicts(["{command: {cmd: 'exec sleep 30', timeout_s: 0.2}}"]);
    expect(results[0]).toMatchObject({ status: "failed", kind: "assertion" });
    expect(results[0]!.message).toContain("expected it to run, found: Timed out after 0.2s");
  });

  test("file: content asked of a device fails unread, naming what the path is", async () => {
    const { results } = await verdicts(["{file: {path: /dev/zero, content: ''}}"]);
    expect(results.map((r) => r.status)).toEqual(["failed"]);
    expect(results[0]!.message).toBe('Assertion failed (file "/dev/zero"): expected "/dev/zero" to be a file to read, found a character device');
  });

  test("file: existence, mode, owner, content and checksum, against a path relative to the config", async () => {
    const sha = new Bun.CryptoHasher("sha256").update("hello world\n").digest("hex");
    const uid = process.getuid!();
    const { results } = await verdicts([
      `{file: {path: data.txt, mode: "0640", owner: "${uid}", contains: world, sha256: "sha256:${sha}"}}`,
      "{file: {path: data.txt, mode: '0644', contains: moon}}",
      "{file: {path: missing.txt}}",
      "{file: {path: missing.txt, exists: false}}",
      "{file: {path: data.txt, exists: false}}",
      `{file: {path: data.txt, sha256: "${"0".repeat(64)}"}}`,
    ]);
    expect(results.map((r) => r.status)).toEqual(["ok", "failed", "failed", "ok", "failed", "failed"]);
    expect(results[1]!.message).toMatch(/^Assertion failed \(file ".*\/data.txt"\): expected mode 0644, found 0640; expected it to contain "moon", found "hello world\\n"$/);
    expect(results[2]!.message).toMatch(/expected ".*\/missing.txt" to exist, found no such file$/);
    expect(results[4]!.message).toMatch(/expected ".*\/data.txt" not to exist, found a file$/);
    expect(results[5]!.message).toContain(`expected sha256 ${"0".repeat(64)}, found ${sha}`);
  });

  test("http: status, method, JSONPath value, and a refused connection", async () => {
    const { results } = await verdicts([
      "{http: {url: '{{ base }}/health', jsonpath: '$.items[0].name', equals: llama3}}",
      "{http: {url: '{{ base }}/health', jsonpath: '$.status', equals: degraded}}",
      "{http: {url: '{{ base }}/missing', status: 200}}",
      "{http: {url: '{{ base }}/echo-method', method: post, contains: POST}}",
      "{http: {url: 'http://127.0.0.1:1/', timeout_s: 2}}",
    ]);
    expect(results.map((r) => r.status)).toEqual(["ok", "failed", "failed", "ok", "failed"]);
    expect(results[1]!.message).toBe(`Assertion failed (GET ${server.url.origin}/health): expected $.status to equal "degraded", found "ok"`);
    expect(results[2]!.message).toBe(`Assertion failed (GET ${server.url.origin}/missing): expected GET ${server.url.origin}/missing to answer 200, found 503`);
    expect(results[4]!.message).toMatch(/^Assertion failed \(GET http:\/\/127\.0\.0\.1:1\/\): expected GET http:\/\/127\.0\.0\.1:1\/ to answer 200, found /);
  });

  test("retries repeat a failing assertion", async () => {
    const tmp = tempDir({});
    cleanup.push(tmp.remove);
    writeFileSync(tmp.path("site.yml"), `- assert: {file: {path: flag}}\n  retries: 2\n  retry_delay: 10ms\n`);
    const run = await runConfig(tmp.path("site.yml"));
    expect(run.steps[0]).toMatchObject({ status: "failed", attempts: 3 });
    expect(run.events.filter((e) => e.type === "step.retry")).toHaveLength(2);
  });

  test("JSONPath subset", () => {
    const doc = { a: { "b c": [1, { d: true }] } };
    expect(selectJsonPath(doc, "$.a['b c'][1].d")).toBe(true);
    expect(selectJsonPath(doc, "$.a.x")).toBeUndefined();
    expect(selectJsonPath(doc, "$")).toEqual(doc);
  });
});
