import { afterEach, describe, expect, test } from "bun:test";
import { formatDiagnostic } from "../../../core/config/diagnostics.ts";
import { loadPolicy, ruleFor } from "../../../artifacts/store/policy.ts";
import { tempDir } from "../../helpers/temp_dir.ts";

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const remove of cleanup) remove();
  cleanup = [];
});

function load(text: string) {
  const tmp = tempDir({ "store/artifacts.yaml": text });
  cleanup.push(tmp.remove);
  const result = loadPolicy(tmp.path("store"));
  return { ...result, messages: result.diagnostics.map((d) => formatDiagnostic(d).replace(/^.*artifacts\.yaml/, "artifacts.yaml")) };
}

describe("loadPolicy", () => {
  test("no artifacts.yaml gives the defaults: keep 10 for every family", () => {
    const tmp = tempDir();
    cleanup.push(tmp.remove);
    const { policy, diagnostics } = loadPolicy(tmp.dir);
    expect(diagnostics).toEqual([]);
    expect(policy!.source).toBeNull();
    expect(ruleFor(policy!, "anything")).toEqual({ keep: 10, pin: [] });
  });

  test("seed 002's policy loads, with ages and sizes parsed and '*' as the fallback", () => {
    const { policy, diagnostics } = load([
      "retention:",
      '  "*": {keep: 4, keep_within: 30d}',
      "  proofs:   {keep: 10, pin: []}",
      "  smoke90:  {keep: 8,  pin: [a1b2c3d4], max_size: 2GiB}",
      "gc:",
      "  always_keep: [last_pass, pinned, last_run]",
      "compaction:",
      "  jsonl: {enabled: true, min_size_kb: 100, dict_threshold: 5}",
      "  markdown: {enabled: true, min_size_kb: 50, remove_empty_sections: true, canonical_headers: true}",
      "indexing: {parallel_workers: 8, checksum_buffer_size_kb: 128, max_files_per_scan: 50000}",
    ].join("\n"));
    expect(diagnostics).toEqual([]);
    expect(ruleFor(policy!, "smoke90")).toEqual({ keep: 8, pin: ["a1b2c3d4"], keepWithin: { text: "30d", ms: 30 * 86_400_000 }, maxSize: 2 * 1024 ** 3 });
    expect(ruleFor(policy!, "other").keep).toBe(4);
    expect(policy!.compaction.markdown.enabled).toBe(true);
  });

  test("every problem is reported at its line and column", () => {
    const { policy, messages } = load("retention:\n  bench: {keep: -1, pin: x}\n  proofs: {keep_within: 30 days}\nfamilies:\n  bench: {glob: 3}\ngc:\n  always_keep: [last_passs]\n");
    expect(policy).toBeUndefined();
    expect(messages).toEqual([
      "artifacts.yaml:2:17: error: retention.bench.keep: Must be between 0 and 1000000, got -1",
      "artifacts.yaml:2:26: error: retention.bench.pin: Expected a list, got \"x\"",
      'artifacts.yaml:3:25: error: retention.proofs.keep_within: "30 days" is not valid: expected an age such as "30d", "12h" or "2w"',
      "artifacts.yaml:5:17: error: families.bench.glob: Expected a string, got a number (3)",
      'artifacts.yaml:7:17: error: gc.always_keep.0: Expected one of "last_pass", "last_run", "pinned", got "last_passs"',
    ]);
  });

  test("dropping a protection from always_keep is a warning: it cannot be turned off", () => {
    const { policy, messages } = load("gc:\n  always_keep: [pinned]\n");
    expect(policy).toBeDefined();
    expect(messages).toEqual([
      'artifacts.yaml:2:16: warning: gc.always_keep: "last_pass" cannot be turned off: mooncake always keeps pinned entries and the last run and last pass of each family',
      'artifacts.yaml:2:16: warning: gc.always_keep: "last_run" cannot be turned off: mooncake always keeps pinned entries and the last run and last pass of each family',
    ]);
  });

  test("seed 002's own typo (no space after the colon) is a located syntax error", () => {
    const { messages } = load("retention:\n  greenwall:{keep: 12, pin: []}\n");
    expect(messages[0]).toBe("artifacts.yaml:2:20: error: YAML syntax error: Nested mappings are not allowed in compact mappings");
  });
});
