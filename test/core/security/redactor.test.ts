import { describe, expect, test } from "bun:test";
import { REDACTED, Redactor } from "../../../core/security/redactor.ts";

describe("Redactor", () => {
  test("replaces every occurrence of every secret, however deep, longest first", () => {
    const redactor = new Redactor(["hunter2", "hunter2-extended", 4242]);
    const value = { a: "pw=hunter2-extended and hunter2", list: [{ deep: "port 4242" }], n: 4242, keep: true };
    expect(redactor.value(value)).toEqual({
      a: `pw=${REDACTED} and ${REDACTED}`, list: [{ deep: `port ${REDACTED}` }], n: 4242, keep: true,
    });
  });

  test("with no secrets it returns the very same value", () => {
    const value = { a: "x" };
    expect(new Redactor(["", null, undefined]).value(value)).toBe(value);
  });
});

describe("Redactor, secrets found as the run goes", () => {
  test("added secrets are redacted from then on, longest first", () => {
    const redactor = new Redactor(["abc"]);
    redactor.add(["abc-longer"]);
    expect(redactor.text("abc-longer and abc")).toBe(`${REDACTED} and ${REDACTED}`);
  });

  test("derived text is redacted from 4 characters on, trimmed; shorter text tells little and would hide unrelated text", () => {
    const redactor = new Redactor([]);
    redactor.addDerived("  ABCD\n");
    redactor.addDerived("7");
    redactor.addDerived("abc");
    expect(redactor.text("ABCD 7 abc")).toBe(`${REDACTED} 7 abc`);
  });
});
