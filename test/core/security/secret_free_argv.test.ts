import { describe, expect, test } from "bun:test";
import { secretFreeArgv } from "../../../core/security/secret_free_argv.ts";

const SECRET = "hunter2-secret";
const holdsSecret = (text: string) => text.includes(SECRET);

async function runShell(argv: string[], stdin?: string): Promise<string> {
  const child = Bun.spawn(argv, { stdin: stdin === undefined ? "ignore" : Buffer.from(stdin), stdout: "pipe" });
  return new Response(child.stdout).text();
}

describe("secretFreeArgv", () => {
  test("a command line without a secret is left as it is", () => {
    expect(secretFreeArgv(["bash", "-c", "echo hi"], undefined, holdsSecret)).toEqual({ argv: ["bash", "-c", "echo hi"] });
  });

  for (const shell of ["sh", "bash"]) {
    test(`a ${shell} script holding a secret runs from stdin, with the step's own input after it`, async () => {
      const script = `echo "pass=${SECRET}"\nif true; then echo 'multi\\line'; fi\nread line; echo "got $line"`;
      const result = secretFreeArgv([shell, "-c", script], "from the step\n", holdsSecret);
      if ("refusal" in result) throw new Error(result.refusal);
      expect(result.argv.join(" ")).not.toContain(SECRET);
      expect(await runShell(result.argv, result.stdin)).toBe(`pass=${SECRET}\nmulti\\line\ngot from the step\n`);
    });
  }

  test("any other command line holding a secret is refused", () => {
    expect(secretFreeArgv(["curl", "-u", `admin:${SECRET}`, "http://x"], undefined, holdsSecret))
      .toEqual({ refusal: 'A secret would be visible to every local user on the command line of "curl": pass it through env or stdin, or use it in a shell step' });
  });
});
