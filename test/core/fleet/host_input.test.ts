import { expect, test } from "bun:test";
import { ACTIONS } from "../../../actions/registry.ts";
import { hostInputFor, HostInputError, readHostInput } from "../../../core/fleet/host_input.ts";
import type { InventoryHost } from "../../../core/fleet/inventory.ts";
import { compilePlan } from "../../../core/plan/compile_plan.ts";
import { FIXED_FACTS } from "../../helpers/fixed_facts.ts";
import { tempDirPerTest } from "../../helpers/temp_dir.ts";

const tempDir = tempDirPerTest();

const web1: InventoryHost = {
  name: "web1",
  address: "10.0.0.1",
  groups: ["web"],
  become: { enabled: true, user: "deploy" },
  vars: { inventory_hostname: "web1", group_names: ["web"], port: 8080, color: "blue" },
};

test("a host's input: inventory vars under the user's vars, the secrets, the sudo password and its become default", () => {
  expect(hostInputFor(web1, { userVars: { color: "red" }, secretVars: { token: "t" }, sudoPassword: "pw" })).toEqual({
    vars: { inventory_hostname: "web1", group_names: ["web"], port: 8080, color: "red" },
    secret_vars: { token: "t" },
    sudo_password: "pw",
    become: { enabled: true, user: "deploy" },
  });
});

test("on the host, inventory vars are above the config's vars and under --var; become is every step's default", () => {
  const tmp = tempDir({
    "site.yml": [
      "vars: { port: 80, name: site }",
      "steps:",
      "  - name: \"{{ inventory_hostname }} {{ port }} {{ name }} {{ color }}\"",
      "    print: hi",
      "  - name: not as root",
      "    print: hi",
      "    become: false",
    ].join("\n"),
  });
  const input = hostInputFor(web1, { userVars: {}, secretVars: {} });
  const { plan, diagnostics } = compilePlan({ configPath: tmp.path("site.yml"), actions: ACTIONS, facts: FIXED_FACTS, hostVars: input.vars, become: input.become!, varAssignments: ["color=green"] });
  expect(diagnostics).toEqual([]);
  expect(plan!.steps.map((s) => [s.name, s.become, s.become_user])).toEqual([
    ["web1 8080 site green", true, "deploy"],
    ["not as root", false, "deploy"],
  ]);
});

async function* chunks(...texts: string[]): AsyncGenerator<Uint8Array> {
  for (const text of texts) yield new TextEncoder().encode(text);
}

test("the host reads its input as one JSON document from standard input and refuses anything else", async () => {
  expect(await readHostInput(chunks('{"vars":{"a":1},', '"secret_vars":{}}'))).toEqual({ vars: { a: 1 }, secret_vars: {} });
  await expect(readHostInput(chunks("not json"))).rejects.toBeInstanceOf(HostInputError);
  await expect(readHostInput(chunks('{"vars":[]}'))).rejects.toThrow(/not valid/);
});
