// Real inventories, one folder each under test/fixtures/inventory (see its README): every
// inventory file of a case loads to the hosts written by hand in its expected.yml.
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { loadInventory } from "../../../core/fleet/load_inventory.ts";

const root = join(import.meta.dir, "..", "..", "fixtures", "inventory");
const cases = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

describe("inventory fixtures", () => {
  for (const name of cases) {
    const dir = join(root, name);
    const inventories = readdirSync(dir).filter((f) => /^hosts(\.(ini|yml|yaml))?$/.test(f)).sort();
    const expectedText = readFileSync(join(dir, "expected.yml"), "utf8").replaceAll("{inventory_dir}", dir).replaceAll("{home}", homedir());
    const expected = parse(expectedText) as Record<string, Record<string, unknown>>;

    for (const file of inventories) {
      test(`${name}/${file} loads to the hosts of expected.yml, in order`, () => {
        const inventory = loadInventory(join(dir, file));
        expect(inventory.path).toBe(join(dir, file));
        for (const host of inventory.hosts) {
          expect(host.vars.inventory_hostname).toBe(host.name);
          expect(host.vars.group_names).toEqual(host.groups);
        }
        const actual = inventory.hosts.map(({ name, ...host }): [string, Record<string, unknown>] => {
          const { inventory_hostname: _name, group_names: _groups, ...vars } = host.vars;
          return [name, { ...host, vars }];
        });
        const wanted = Object.entries(expected);
        expect(actual).toEqual(wanted);
      });
    }
  }
});
