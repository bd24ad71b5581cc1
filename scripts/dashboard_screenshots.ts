// Screenshots of the dashboard for docs/dashboard.md: builds the demo trees of the browser tests
// (real runs by dist/mooncake, an artifacts.yaml family, a seed-001 products tree), renders them
// with the binary and shoots the main views in light and dark. Run after `bun run scripts/build.ts`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchChromium } from "../test/helpers/browser.ts";
import { addBenchFamily, recordRuns, seed001Tree } from "../test/helpers/dashboard_trees.ts";
import { runBinary } from "../test/helpers/run_binary.ts";

const out = join(import.meta.dir, "..", "docs", "img");
const dir = mkdtempSync(join(tmpdir(), "mooncake-shots-"));
const browser = await launchChromium();
if (typeof browser === "string") throw new Error(browser);
try {
  const runs = recordRuns(dir, 4);
  addBenchFamily(runs);
  const seed = join(dir, "seed001");
  seed001Tree(seed);
  const pages: [string, string][] = [[runs, join(dir, "runs.html")], [seed, join(dir, "seed.html")]];
  for (const [tree, file] of pages) {
    const result = runBinary(["dashboard", "--artifacts-dir", tree, "--output", file]);
    if (result.exitCode !== 0) throw new Error(result.stderr);
  }
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
    await page.goto(`file://${join(dir, "runs.html")}`);
    await page.screenshot({ path: join(out, `dashboard-families-${scheme}.png`), fullPage: true });
    await page.click("article.card[data-family=\"site.yml\"] a.run-link");
    await page.waitForSelector("table.steps");
    await page.screenshot({ path: join(out, `dashboard-run-${scheme}.png`), fullPage: true });
    await page.goto(`file://${join(dir, "seed.html")}`);
    await page.screenshot({ path: join(out, `dashboard-seed001-${scheme}.png`), fullPage: true });
  }
  await page.goto(`file://${join(dir, "runs.html")}#/runs`);
  await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "light" }]);
  await page.screenshot({ path: join(out, "dashboard-runs-light.png"), fullPage: true });
  console.log(`screenshots written to ${out}`);
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
