import { describe, expect, test } from "bun:test";
import { compactBytes, expandBytes } from "../../../artifacts/compact/compacted_file.ts";
import { decodeJsonl, encodeJsonl } from "../../../artifacts/compact/jsonl_codec.ts";
import { seededRandom } from "../../helpers/artifact_store.ts";

const CASES: Record<string, string> = {
  "empty file": "",
  "one line without a newline": '{"a":1}',
  "trailing newline": '{"a":1}\n{"a":2}\n',
  "two trailing newlines": '{"a":1}\n\n',
  "a garbage line among events": '{"type":"x","seq":1}\nnot json at all {\n{"type":"x","seq":2}\n{"type":\n',
  "spacing and key order kept": '{ "b" : 1 ,"a":2}\n{"a":2,"b":1}\n{"1":"x","0":"y"}\n',
  "number spellings kept": '{"n":1.0}\n{"n":1e3}\n{"n":-0}\n{"n":007}\n{"n":12345678901234567890}\n',
  "CRLF lines": '{"a":1}\r\n{"a":2}\r\n',
  "escapes and unicode": '{"s":"quote \\" backslash \\\\ \\u0000 é 😀"}\n{"s":"\\\\"}\n{"s":"ends with \\\\\\""}\n',
  "nested objects, arrays, null and booleans": '{"a":{"b":{"c":[1,{"d":2}],"e":null}},"f":true,"g":false}\n{"a":{"b":{"c":[],"e":"x"}},"f":false,"g":true}\n',
  "lines that are not objects": '[1,2]\n"str"\n42\nnull\n{}\n',
  "a key holding a placeholder-like string": '{"#1":"#2","\\u0000":0}\n',
  "integer deltas, negative and large": '{"seq":5}\n{"seq":-3}\n{"seq":999999999999999}\n{"seq":0}\n',
};

describe("JSONL dictionary codec", () => {
  for (const [name, text] of Object.entries(CASES)) {
    test(`round-trips byte for byte: ${name}`, () => {
      expect(decodeJsonl(encodeJsonl(text, 2))).toBe(text);
      const bytes = new TextEncoder().encode(text);
      expect(Buffer.from(expandBytes(compactBytes(bytes, { jsonl: true, dictThreshold: 2 }).bytes)).equals(Buffer.from(bytes))).toBe(true);
    });
  }

  test("round-trips 300 random event streams", () => {
    const random = seededRandom(7);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    for (let n = 0; n < 300; n++) {
      const lines: string[] = [];
      for (let i = 0; i < 1 + random() * 40; i++) {
        const roll = random();
        if (roll < 0.05) lines.push(pick(["", "garbage", "{broken", '{"a":}', " {\"a\":1}", '{"a":1} ']));
        else lines.push(JSON.stringify({ type: pick(["step.started", "step.stdout", "run.finished"]), seq: i, v: pick([1, 2.5, -3, "x", null, true, [1, "a"], { k: "v" }]), s: "é".repeat(Math.floor(random() * 3)) }));
      }
      const text = lines.join("\n") + (random() < 0.5 ? "\n" : "");
      expect(decodeJsonl(encodeJsonl(text, 1 + Math.floor(random() * 4)))).toBe(text);
    }
  });

  test("bytes that are not UTF-8 are compressed as they are", () => {
    const bytes = new Uint8Array([0xff, 0xfe, 0x7b, 0x7d, 0x0a, 0xc3]);
    const { bytes: out } = compactBytes(bytes, { jsonl: true, dictThreshold: 5 });
    // The one frame's codec byte, after the 512-byte header and its length: 0 is raw.
    expect(out[512 + 4]).toBe(0);
    expect([...expandBytes(out)]).toEqual([...bytes]);
  });

  test("a damaged compacted file is an error, never wrong bytes", () => {
    const bytes = new TextEncoder().encode('{"a":1}\n'.repeat(100));
    const { bytes: out } = compactBytes(bytes, { jsonl: true, dictThreshold: 5 });
    const damaged = out.slice(0, out.length - 3);
    expect(() => expandBytes(damaged)).toThrow();
    expect(() => expandBytes(new TextEncoder().encode("plain text"))).toThrow("not a compacted file");
  });
});
