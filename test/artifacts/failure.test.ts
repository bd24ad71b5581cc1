import { describe, expect, test } from "bun:test";
import { classifyFailure, MAX_MESSAGE_CHARS, sanitizeMessage, shapeFailure } from "../../artifacts/failure.ts";

describe("classifyFailure", () => {
  test("keeps a kind the executor chose", () => {
    expect(classifyFailure({ kind: "timeout", message: "Timed out after 1s" })).toBe("timeout");
    expect(classifyFailure({ kind: "exit_code", message: "connection refused" })).toBe("exit_code");
  });

  test("classifies errors by their code", () => {
    expect(classifyFailure(Object.assign(new Error("x"), { code: "ECONNREFUSED" }))).toBe("network");
    expect(classifyFailure(Object.assign(new Error("x"), { code: "EACCES" }))).toBe("permission_denied");
  });

  test("classifies internal or unknown kinds by their message", () => {
    expect(classifyFailure({ kind: "internal", message: "sha256 checksum of out.tgz does not match" })).toBe("checksum_mismatch");
    expect(classifyFailure({ kind: "something_new", message: "getaddrinfo ENOTFOUND example.org" })).toBe("network");
    expect(classifyFailure(new Error("open /etc/x: permission denied"))).toBe("permission_denied");
    expect(classifyFailure("a plain string")).toBe("internal");
  });
});

describe("sanitizeMessage", () => {
  const cases: [string, string][] = [
    ["curl https://bob:s3cr3t@example.org/x failed", "curl https://bob:********@example.org/x failed"],
    ["login with password=hunter2 refused", "login with password=******** refused"],
    ["DB_PASSWORD: 'swordfish' rejected", "DB_PASSWORD: '********' rejected"],
    ["header Authorization: Bearer abcdefghijkl rejected", "header Authorization: Bearer ******** rejected"],
    ["token ghp_abcdefghijklmnopqrstuvwxyz0123 leaked", "token ******** leaked"],
    ["key AKIAABCDEFGHIJKLMNOP used", "key ******** used"],
  ];
  for (const [input, expected] of cases) {
    test(`hides the secret in "${input}"`, () => expect(sanitizeMessage(input)).toBe(expected));
  }

  test("leaves a message without secrets as it is", () => {
    expect(sanitizeMessage('Command exited with code 4: "make" not found')).toBe('Command exited with code 4: "make" not found');
  });

  test("hides a private key block whole", () => {
    const key = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAB3Nza\n-----END OPENSSH PRIVATE KEY-----";
    expect(sanitizeMessage(`bad key ${key} given`)).toBe("bad key [private key ********] given");
  });

  test("cuts a long message and says how much was cut", () => {
    const text = sanitizeMessage("x".repeat(MAX_MESSAGE_CHARS + 123));
    expect(text.startsWith("x".repeat(MAX_MESSAGE_CHARS))).toBe(true);
    expect(text).toContain("123 more characters cut");
  });
});

test("shapeFailure gives kind, clean message and evidence", () => {
  expect(shapeFailure({ kind: "exit_code", message: "token=abc123 rejected" }, ["events.jsonl", "stderr.log"])).toEqual({
    error_kind: "exit_code",
    error_message: "token=******** rejected",
    evidence: ["events.jsonl", "stderr.log"],
  });
});
