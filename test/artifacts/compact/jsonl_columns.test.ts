import { describe, expect, test } from "bun:test";
import { compactBytes, expandBytes } from "../../../artifacts/compact/compacted_file.ts";
import { JsonlColumnDecoder, JsonlColumnEncoder } from "../../../artifacts/compact/jsonl_columns.ts";
import { seededRandom } from "../../helpers/artifact_store.ts";

const ts = (iso: string) => JSON.stringify({ type: "x", timestamp: iso });

const CASES: Record<string, string | Uint8Array> = {
  "empty file": "",
  "one line without a newline": '{"a":1}',
  "a torn last line": '{"a":1}\n{"a":2}\n{"a":',
  "trailing newline": '{"a":1}\n{"a":2}\n',
  "two trailing newlines, blank and whitespace-only lines": '{"a":1}\n\n  \n\t\n{"a":2}\n\n',
  "a garbage line among events": '{"type":"x","seq":1}\nnot json at all {\n{"type":"x","seq":2}\n{"type":\n',
  "spacing and key order kept": '{ "b" : 1 ,"a":2}\n{"a":2,"b":1}\n{"1":"x","0":"y"}\n  {"a" :2 }  \n\t{\t"a"\t:\t2\t}\r\n',
  "duplicate keys": '{"a":1,"a":2}\n{"a":1,"a":2,"a":"x"}\n{"a":1}\n',
  "number spellings kept": '{"n":1.0}\n{"n":1}\n{"n":1e3}\n{"n":1E-7}\n{"n":-1.5e+300}\n{"n":-0}\n{"n":0}\n{"n":-0.0}\n{"n":007}\n{"n":12345678901234567890}\n{"n":9007199254740993}\n{"n":999999999999999}\n{"n":1000000000000000}\n{"n":-999999999999999}\n{"n":+1}\n{"n":0x10}\n{"n":NaN}\n',
  "integer columns with -0 and leading zeros in them": '{"n":1}\n{"n":-0}\n{"n":2}\n{"n":01}\n{"n":3}\n',
  "integer deltas, negative and large": '{"seq":5}\n{"seq":-3}\n{"seq":999999999999999}\n{"seq":-999999999999999}\n{"seq":0}\n',
  "timestamps, valid and not": [
    ts("2026-02-04T14:14:19.000Z"), ts("2026-02-04T14:14:19.001Z"), ts("2024-02-29T23:59:59.999Z"), ts("2026-02-05T00:00:00.000Z"),
    ts("0000-01-01T00:00:00.000Z"), ts("9999-12-31T23:59:59.999Z"), ts("1969-12-31T23:59:59.999Z"), ts("1970-01-01T00:00:00.000Z"),
  ].join("\n"),
  "timestamps that are not canonical make a text column": [
    ts("2026-02-04T14:14:19.000Z"), ts("2026-02-30T14:14:19.000Z"), ts("2025-02-29T00:00:00.000Z"), ts("2026-02-04T24:00:00.000Z"),
    ts("2026-02-04T14:14:19Z"), ts("2026-02-04T14:14:19.000+00:00"), ts("2026-13-04T14:14:19.000Z"), ts("2026-02-04t14:14:19.000z"),
  ].join("\n"),
  "CRLF lines": '{"a":1}\r\n{"a":2}\r\n',
  "escapes and unicode": '{"s":"quote \\" backslash \\\\ \\u0000 é 😀 \\ud83d"}\n{"s":"\\\\"}\n{"s":"ends with \\\\\\""}\n{"é":"ü","😀":"\\n"}\n',
  "nested objects, arrays, null and booleans": '{"a":{"b":{"c":[1,{"d":2}],"e":null}},"f":true,"g":false}\n{"a":{"b":{"c":[],"e":"x"}},"f":false,"g":true}\n{"a":{"b":{"c":[[],[{}],"]"],"e":{}}}}\n',
  "empty strings and empty objects": '{"a":"","b":{}}\n{"a":"","b":{}}\n{"a":"x","b":{}}\n{}\n{ }\n',
  "lines that are not objects": '[1,2]\n"str"\n42\nnull\n{}\n}{\n{"a":1}}\n{"a":1} x\n{"a" 1}\n{"a":1,}\n{,}\n{"a":[1,2}\n{"a":"\n',
  "a key holding a placeholder-like string": '{"#1":"#2","\\u0000":0}\n',
  "control characters and NUL bytes inside strings": '{"s":"a\tb\u0001c\u0000"}\n{"s":"\u0000"}\n',
  "repeated values, then a change": `${'{"run":"r1","n":"same"}\n'.repeat(5)}{"run":"r2","n":"same"}\n{"run":"r2","n":""}\n{"run":"r2","n":""}\n`,
  "objects nested deeper than the scanner goes": `${'{"a":'.repeat(200)}1${"}".repeat(200)}\n${'{"a":'.repeat(10)}1${"}".repeat(10)}\n`,
  "a huge line among small ones": `{"a":1}\n{"big":"${"x".repeat(3_000_000)}","n":1}\n{"a":2}\n`,
  "bytes that are not UTF-8 inside and outside strings": new Uint8Array([...Buffer.from('{"s":"'), 0xff, 0xfe, ...Buffer.from('","t":1}\n{"s":"'), 0xc3, ...Buffer.from('"}\n'), 0x80, 0x0a]),
};

const bytesOf = (text: string | Uint8Array) => (typeof text === "string" ? new TextEncoder().encode(text) : text);

describe("JSONL column codec", () => {
  // One encoder and one decoder for every case, as the container uses them: nothing may leak from one frame to the next.
  const encoder = new JsonlColumnEncoder();
  const decoder = new JsonlColumnDecoder();

  for (const [name, text] of Object.entries(CASES)) {
    test(`round-trips byte for byte: ${name}`, () => {
      const bytes = bytesOf(text);
      const payload = Uint8Array.prototype.slice.call(encoder.encode(bytes));
      expect(Buffer.from(decoder.decode(payload, bytes.length)).equals(Buffer.from(bytes))).toBe(true);
      expect(Buffer.from(expandBytes(compactBytes(bytes, { jsonl: true }).bytes)).equals(Buffer.from(bytes))).toBe(true);
    });
  }

  test("event lines go through the columns, not the raw fallback", () => {
    const bytes = bytesOf(`${CASES["number spellings kept"] as string}${CASES["timestamps, valid and not"] as string}\nnot json\n`);
    const { bytes: out } = compactBytes(bytes, { jsonl: true });
    // The one frame's codec byte, after the 512-byte header and its 4-byte length: 2 is jsonl-columns.
    expect(out[512 + 4]).toBe(2);
  });

  test("integers and timestamps are stored as deltas: a long regular stream shrinks far below zstd alone", () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ seq: i, timestamp: new Date(Date.UTC(2026, 1, 4) + i * 7).toISOString() }));
    const bytes = bytesOf(`${lines.join("\n")}\n`);
    const columns = compactBytes(bytes, { jsonl: true }).bytes.length;
    const zstdAlone = compactBytes(bytes, { jsonl: false }).bytes.length;
    expect(columns * 5).toBeLessThan(zstdAlone);
  });

  test("round-trips 300 random event streams", () => {
    const random = seededRandom(7);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    for (let n = 0; n < 300; n++) {
      const lines: string[] = [];
      for (let i = 0; i < 1 + random() * 40; i++) {
        const roll = random();
        if (roll < 0.05) lines.push(pick(["", "garbage", "{broken", '{"a":}', " {\"a\":1}", '{"a":1} ', "{\"a\":-0}", "{\"a\":1.0}"]));
        else lines.push(JSON.stringify({ type: pick(["step.started", "step.stdout", "run.finished"]), seq: pick([i, -i, i * 1e9]), at: new Date(1.7e12 + Math.floor(random() * 1e9)).toISOString(), v: pick([1, 2.5, -3, "x", null, true, [1, "a"], { k: "v" }, 1e21, -0]), s: "é".repeat(Math.floor(random() * 3)) }));
      }
      const bytes = bytesOf(lines.join("\n") + (random() < 0.5 ? "\n" : ""));
      expect(Buffer.from(decoder.decode(Uint8Array.prototype.slice.call(encoder.encode(bytes)), bytes.length)).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  test("round-trips 300 streams of random bytes made mostly of JSON punctuation", () => {
    const random = seededRandom(11);
    const alphabet = Buffer.from('{}[]":,\\ \t\r\n01-.eEaZT\u0000x');
    for (let n = 0; n < 300; n++) {
      const bytes = new Uint8Array(Math.floor(random() * 400));
      for (let i = 0; i < bytes.length; i++) bytes[i] = random() < 0.05 ? Math.floor(random() * 256) : alphabet[Math.floor(random() * alphabet.length)]!;
      expect(Buffer.from(decoder.decode(Uint8Array.prototype.slice.call(encoder.encode(bytes)), bytes.length)).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  test("a damaged payload is an error, never wrong bytes", () => {
    const bytes = bytesOf('{"a":1,"s":"x"}\n'.repeat(100));
    const payload = Uint8Array.prototype.slice.call(encoder.encode(bytes));
    expect(() => decoder.decode(payload.subarray(0, payload.length - 3), bytes.length)).toThrow();
    expect(() => decoder.decode(payload, bytes.length + 1)).toThrow();
    const { bytes: out } = compactBytes(bytes, { jsonl: true });
    expect(() => expandBytes(out.slice(0, out.length - 3))).toThrow();
    expect(() => expandBytes(new TextEncoder().encode("plain text"))).toThrow("not a compacted file");
  });
});
