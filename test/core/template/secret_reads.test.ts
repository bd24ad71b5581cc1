import { describe, expect, test } from "bun:test";
import { parseTemplate } from "../../../core/template/parse_template.ts";
import { trackSecretReads } from "../../../core/template/secret_reads.ts";

/** Renders `source` in a scope where `token` and `keys` are secret; returns the text and what was reported. */
function render(source: string): { text: string; noted: string[] } {
  const noted: string[] = [];
  const scope: Record<string, unknown> = { token: "abc-def", keys: ["k1", "k2"], app: "web" };
  trackSecretReads(scope, { names: new Set(["token", "keys"]), note: (text) => noted.push(text) });
  return { text: parseTemplate(source).render(Object.create(scope)), noted };
}

describe("a template reports what it made of a secret", () => {
  test("a transformed secret is reported as its tag's text, then the whole template", () => {
    expect(render("pw={{ token | upper }} on {{ app }}")).toEqual({ text: "pw=ABC-DEF on web", noted: ["ABC-DEF", "pw=ABC-DEF on web"] });
    expect(render("{{ token | b64encode }}").noted[0]).toBe(Buffer.from("abc-def").toString("base64"));
    expect(render("{{ token | split('-') | first }}x").noted).toEqual(["abc", "abcx"]);
  });

  test("a section over a secret list is reported per element and whole", () => {
    expect(render("{{#keys}}[{{.}}]{{/keys}}")).toEqual({ text: "[k1][k2]", noted: ["[k1]", "[k2]", "[k1][k2]", "[k1][k2]"] });
  });

  test("a number or boolean made of a secret is not reported on its own, only in the whole", () => {
    expect(render("{{ token | length }}").noted).toEqual(["7"]);
    expect(render("{{ token == 'x' }}").noted).toEqual(["false"]);
  });

  test("a template that reads no secret reports nothing, and neither does a scope without tracking", () => {
    expect(render("{{ app | upper }}").noted).toEqual([]);
    expect(parseTemplate("{{ token }}").render({ token: "abc-def" })).toBe("abc-def");
  });
});
