// Inventories with mistakes: test/fixtures/inventory-errors/<case>.<ext> fails to load with
// exactly the diagnostics in <case>.expected. UPDATE_GOLDEN=1 rewrites them; review the diff.
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { InventoryError, loadInventory } from "../../../core/fleet/load_inventory.ts";

const dir = join(import.meta.dir, "..", "..", "fixtures", "inventory-errors");
const cases = readdirSync(dir).filter((f) => !f.endsWith(".expected") && f !== "README.md").sort();

describe("inventory error fixtures", () => {
  for (const name of cases) {
    test(`${name} is refused with exactly its expected diagnostics`, () => {
      let caught: unknown;
      try {
        loadInventory(relative(process.cwd(), join(dir, name)));
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(InventoryError);
      const actual = (caught as InventoryError).diagnostics.map((d) => `${d.code} ${d.subject ? `${d.subject.line}:${d.subject.col}` : "-"} ${d.message}`).join("\n");
      const expectedPath = join(dir, name.replace(/\.[^.]+$/, ".expected"));
      if (process.env.UPDATE_GOLDEN) writeFileSync(expectedPath, `${actual}\n`);
      expect(actual).toBe(readFileSync(expectedPath, "utf8").trimEnd());
    });
  }
});
