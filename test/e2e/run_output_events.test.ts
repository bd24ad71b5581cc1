import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BINARY, runBinary } from "../helpers/run_binary.ts";
import { sandbox as site } from "../helpers/converge.ts";
import { peakRss } from "../helpers/peak_rss.ts";

function runDir(artifacts: string): string {
  const [run] = readdirSync(join(artifacts, "runs")).filter((name) => /^\d{8}-/.test(name));
  return join(artifacts, "runs", run!);
}

type OutputEvent = { type: string; data: { lines: string[]; first_line: number } };

/** Each stream's lines as the events carry them, checking that they follow on without a gap. */
function streamLines(events: OutputEvent[], type: "step.stdout" | "step.stderr"): string[] {
  const lines: string[] = [];
  for (const event of events.filter((e) => e.type === type)) {
    expect(event.data.first_line).toBe(lines.length + 1);
    lines.push(...event.data.lines);
  }
  return lines;
}

describe("step output events", () => {
  test("many short lines make an events.jsonl at most 1.2x the output", () => {
    const tmp = site({ "site.yml": "- shell: \"head -c 4000000 /dev/zero | tr '\\\\0' a | fold -w 100\"\n" });
    const result = runBinary(["run", "-c", "site.yml", "--raw", "--artifacts-dir", tmp.path("artifacts")], { cwd: tmp.dir });
    expect(result.exitCode).toBe(0);
    const events = statSync(join(runDir(tmp.path("artifacts")), "events.jsonl")).size;
    expect(events / 4_000_000).toBeLessThan(1.2);
  });

  test("a step printing 150 MB without a newline keeps the process under 200 MB", async () => {
    const tmp = site({ "site.yml": "- shell: \"head -c 150M /dev/zero | tr '\\\\0' a\"\n" });
    const result = await peakRss([BINARY, "run", "-c", "site.yml", "--raw", "--artifacts-dir", tmp.path("artifacts")], { cwd: tmp.dir });
    expect(result.exitCode).toBe(0);
    expect(result.peakMb).toBeLessThan(200);
  }, 60_000);

  test("a secret across the cut of a long line is redacted in the JSON stream, events.jsonl and stdout.log", () => {
    const secret = "hunter2-very-secret";
    // The line is cut into pieces of 65536 characters: the secret straddles the first cut.
    const text = `${"a".repeat(65536 - 7)}${secret}${"b".repeat(200_000)}`;
    const tmp = site({ "site.yml": "- shell: cat out.txt\n", "secrets.yml": `token: ${secret}\n`, "out.txt": text });
    const result = runBinary(["run", "-c", "site.yml", "--secret-vars", "secrets.yml", "--log-format", "json", "--log-level", "debug", "--capture-full-output", "--artifacts-dir", tmp.path("artifacts")], { cwd: tmp.dir });
    expect(result.exitCode).toBe(0);
    const dir = runDir(tmp.path("artifacts"));
    for (const recorded of [result.stdout, readFileSync(join(dir, "events.jsonl"), "utf8"), readFileSync(join(dir, "stdout.log"), "utf8")]) {
      expect(recorded.includes("hunter2")).toBe(false);
    }
    const events = result.stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as OutputEvent);
    expect(streamLines(events, "step.stdout").join("") === text.replace(secret, "********")).toBe(true);
  });

  test("--log-format json carries every line of both streams, in order, long lines in pieces", () => {
    const long = "x".repeat(150_000);
    const script = "i=0; while [ $i -lt 30000 ]; do echo \"out line $i\"; echo \"err line $i\" >&2; i=$((i+1)); done; cat long.txt\n";
    const tmp = site({ "site.yml": "- shell: sh print.sh\n", "print.sh": script });
    writeFileSync(tmp.path("long.txt"), `${long}\nlast`);
    const result = runBinary(["run", "-c", "site.yml", "--log-format", "json", "--log-level", "debug", "--no-artifacts"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(0);
    const events = result.stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as OutputEvent);
    const numbers = [...Array(30000).keys()];
    const expected = [...numbers.map((i) => `out line ${i}`), long.slice(0, 65536), long.slice(65536, 131072), long.slice(131072), "last"];
    expect(streamLines(events, "step.stdout").join("\n") === expected.join("\n")).toBe(true);
    expect(streamLines(events, "step.stderr").join("\n") === numbers.map((i) => `err line ${i}`).join("\n")).toBe(true);
    expect(events.filter((e) => e.type === "step.stdout").length).toBeLessThan(100);
  }, 60_000);
});
