// Every ```yaml block of README.md and docs/*.md is checked with the binary, so an example a
// reader copies works. A block is a config that `mooncake validate` accepts, unless the line
// before its fence says otherwise:
//   <!-- example: artifacts-policy -->  an artifacts.yaml that `mooncake artifacts list` accepts
//   <!-- example: safety-policy -->     a machine policy file that `mooncake validate --policy` accepts
//   <!-- example: partial -->           a fragment (some keys of a step): it must parse as YAML
//   <!-- example: invalid -->           a mistake shown on purpose: `validate` must reject it
import { afterEach, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runBinary } from "../helpers/run_binary.ts";
import { tempDir } from "../helpers/temp_dir.ts";

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const remove of cleanup) remove();
  cleanup = [];
});

const repo = join(import.meta.dir, "..", "..");
const KINDS = ["config", "artifacts-policy", "safety-policy", "partial", "invalid"] as const;
type Kind = (typeof KINDS)[number];

interface Example {
  where: string;
  kind: Kind;
  yaml: string;
}

function examplesOf(file: string): Example[] {
  const lines = readFileSync(join(repo, file), "utf8").split("\n");
  const examples: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```ya?ml\s*$/.test(lines[i]!)) continue;
    const marker = /^<!-- example: (\S+) -->$/.exec(lines[i - 1] ?? "")?.[1] ?? "config";
    if (!(KINDS as readonly string[]).includes(marker)) throw new Error(`${file}:${i}: unknown example kind "${marker}" (one of ${KINDS.join(", ")})`);
    const end = lines.indexOf("```", i + 1);
    examples.push({ where: `${file}:${i + 1}`, kind: marker as Kind, yaml: `${lines.slice(i + 1, end).join("\n")}\n` });
    i = end;
  }
  return examples;
}

const files = ["README.md", ...readdirSync(join(repo, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)];
const examples = files.flatMap(examplesOf);

describe("YAML examples of README.md and docs/", () => {
  test("there are examples to check, and the README's config is one of them", () => {
    expect(examples.find((e) => e.where.startsWith("README.md"))?.kind).toBe("config");
  });

  for (const example of examples) {
    test(`${example.where} (${example.kind})`, () => {
      const tmp = tempDir({ "example.yml": example.yaml });
      cleanup.push(tmp.remove);
      if (example.kind === "artifacts-policy") {
        writeFileSync(tmp.path("artifacts.yaml"), example.yaml);
        const result = runBinary(["artifacts", "list", "--root", tmp.dir], { cwd: tmp.dir });
        expect(result.stderr).toBe("");
        expect(result.exitCode).toBe(0);
        return;
      }
      if (example.kind === "safety-policy") {
        writeFileSync(tmp.path("site.yml"), "- print: hi\n");
        const result = runBinary(["validate", "site.yml", "--policy", "example.yml"], { cwd: tmp.dir });
        expect({ exitCode: result.exitCode, output: result.stdout + result.stderr }).toEqual({ exitCode: 0, output: expect.stringContaining("is valid") });
        return;
      }
      if (example.kind === "partial") {
        expect(() => Bun.YAML.parse(example.yaml)).not.toThrow();
        return;
      }
      const result = runBinary(["validate", "--config", "example.yml"], { cwd: tmp.dir });
      if (example.kind === "invalid") expect(result.exitCode).toBe(2);
      else expect({ exitCode: result.exitCode, output: result.stdout + result.stderr }).toEqual({ exitCode: 0, output: expect.stringContaining("is valid") });
    });
  }
});
