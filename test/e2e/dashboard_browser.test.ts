// The dashboard as a person sees it: the page the binary writes (and serves) opened in Debian's
// chromium through puppeteer-core. Skipped, saying why, where chromium cannot be installed or run.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Page } from "puppeteer-core";
import { launchChromium } from "../helpers/browser.ts";
import { addBenchFamily, recordRuns, seed001Tree } from "../helpers/dashboard_trees.ts";
import { BINARY, runBinary } from "../helpers/run_binary.ts";
import { tempDir } from "../helpers/temp_dir.ts";

const launched = await launchChromium();
if (typeof launched === "string") console.log(`skipped: the dashboard browser tests: ${launched}`);
const browser = typeof launched === "string" ? undefined : launched;

let tmp: ReturnType<typeof tempDir>;
let artifacts: string;
beforeAll(() => {
  if (!browser) return;
  tmp = tempDir();
  artifacts = recordRuns(tmp.dir, 3);
  addBenchFamily(artifacts);
  seed001Tree(join(tmp.dir, "seed001"));
}, 60_000);
afterAll(async () => {
  await browser?.close();
  tmp?.remove();
});

/** Writes the dashboard of `tree` and opens it from file://, recording every request and dialog. */
async function openDashboard(tree: string): Promise<{ page: Page; requests: string[]; dialogs: string[]; url: string }> {
  const output = join(tmp.dir, `page-${Math.random().toString(16).slice(2)}.html`);
  const result = runBinary(["dashboard", "--artifacts-dir", tree, "--output", output]);
  expect(result.exitCode).toBe(0);
  const page = await browser!.newPage();
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const url = `file://${output}`;
  await page.goto(url);
  await page.waitForSelector("main nav");
  return { page, requests, dialogs, url };
}

/** What the page scripts read of an element (the tests are typed without the DOM library). */
interface El {
  innerText: string;
  naturalWidth: number;
}

const texts = (page: Page, selector: string) => page.$$eval(selector, (els) => els.map((e) => (e as unknown as El).innerText.trim()));

describe.skipIf(!browser)("the dashboard page in chromium", () => {
  test("shows a card per family with its status, and the failed step's message and stderr as text", async () => {
    const { page, requests, dialogs, url } = await openDashboard(artifacts);
    expect(await texts(page, "article.card h2")).toEqual(["bench", "site.yml", "ok.yml"]);
    expect(await texts(page, "article.card .card-head .pill")).toEqual(["fail", "fail", "pass"]);
    const failure = await page.$eval("article.card[data-family='site.yml'] .failure", (e) => (e as unknown as El).innerText);
    expect(failure).toContain("Deploy app (step-0002) · exit_code");
    expect(failure).toContain("Command exited with code 3: error: <img src=x onerror=alert(1)></script> cannot reach db");
    expect(await page.$$eval("article.card[data-family='site.yml'] .changed li", (els) => els.length)).toBe(2);
    expect(await page.$$eval("img[src='x']", (els) => els.length)).toBe(0);
    expect(dialogs).toEqual([]);
    expect(requests.filter((r) => r !== url && !r.startsWith("data:"))).toEqual([]);
    await page.close();
  }, 60_000);

  test("the history strip lists the family's runs oldest first, each opening its run", async () => {
    const { page } = await openDashboard(artifacts);
    const listed = await page.$$eval("article.card[data-family='ok.yml'] ol.history a", (els) => els.map((e) => e.getAttribute("data-run")));
    const json = JSON.parse(runBinary(["runs", "list", "--format", "json", "--artifacts-dir", artifacts]).stdout);
    const okRuns = json.runs.filter((r: { root_file: string }) => r.root_file.endsWith("ok.yml")).map((r: { run_id: string }) => r.run_id);
    expect(listed).toEqual(okRuns.reverse());
    expect(listed).toHaveLength(3);
    const label = await page.$eval("article.card[data-family='ok.yml'] ol.history a", (e) => e.getAttribute("aria-label"));
    expect(label).toStartWith(`${listed[0]}: pass, started `);
    await page.click(`article.card[data-family='ok.yml'] ol.history a[data-run='${listed[1]}']`);
    await page.waitForSelector("table.steps");
    expect(await page.$eval("#run-title", (e) => e.textContent)).toBe(`Run ${listed[1]}`);
    await page.close();
  }, 60_000);

  test("the run view is reached by keyboard and shows steps, events and changed files", async () => {
    const { page } = await openDashboard(artifacts);
    await page.focus("article.card[data-family='site.yml'] a.run-link");
    await page.keyboard.press("Enter");
    await page.waitForSelector("table.steps");
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id)).toBe("run-title");
    const steps = await page.$$eval("table.steps tbody tr", (rows) => rows.map((r) => [...r.querySelectorAll("td")].slice(0, 2).map((td) => td.textContent)));
    expect(steps).toEqual([["step-0001", "Write motd"], ["step-0002", "Deploy app"]]);
    expect(await texts(page, ".timeline .event-type")).toEqual([
      "run.started", "plan.built", "step.started", "file.changed", "file.changed", "step.finished", "step.started", "step.finished", "run.finished",
    ]);
    expect(await texts(page, "table.diff tbody td.path")).toEqual([join(tmp.dir, "out"), join(tmp.dir, "out", "motd")]);
    await page.goBack();
    await page.waitForSelector("article.card");
    await page.close();
  }, 60_000);

  test("filters by status and by family", async () => {
    const { page } = await openDashboard(artifacts);
    await page.select("#filter-status", "pass");
    expect(await texts(page, "article.card h2")).toEqual(["ok.yml"]);
    await page.select("#filter-status", "all");
    await page.select("#filter-family", "bench");
    expect(await texts(page, "article.card h2")).toEqual(["bench"]);
    await page.goto(`${page.url().split("#")[0]}#/runs`);
    await page.waitForSelector("table.runs");
    expect(await page.$$eval("table.runs tbody tr", (rows) => rows.length)).toBe(2);
    await page.close();
  }, 60_000);

  test("a seed-001 tree shows the three badges of seed 001, the unknown fields, and the screenshot thumbnail", async () => {
    const { page, requests, url } = await openDashboard(join(tmp.dir, "seed001"));
    const badges = await page.$$eval("article.card .badge", (els) => els.map((e) => [e.getAttribute("data-kind"), (e as unknown as El).innerText]));
    expect(badges).toContainEqual(["missing", "Missing artifact: runs/nexus/last_run.json"]);
    expect(badges).toContainEqual(["invalid", 'Invalid artifact: runs/ledger/last_run.json: /status must be one of "pass", "fail", not "maybe"']);
    expect(badges).toContainEqual(["unsupported_version", "Unsupported schema version: 0.9"]);
    const oracle = await page.$eval("article.card[data-family='oracle']", (e) => (e as unknown as El).innerText);
    expect(oracle).toContain("from the future");
    const dash = "article.card[data-family='Code Monkeys Dash']";
    expect(await page.$$eval(`${dash} dl.fields div`, (els) => els.map((e) => (e as unknown as El).innerText.replace(/\s+/g, " ")))).toEqual([
      'Banana economy {"bananas_spent":42,"budget":100}', "Kill switch false", "Pr wave 3",
    ]);
    const thumb = await page.$eval(`${dash} img.thumb`, (img) => ({ loaded: (img as unknown as El).naturalWidth, alt: img.getAttribute("alt") }));
    expect(thumb).toEqual({ loaded: 16, alt: "Screenshot of the last run of Code Monkeys Dash" });
    expect(requests.filter((r) => r !== url && !r.startsWith("data:"))).toEqual([]);
    await page.close();
  }, 60_000);

  test("dashboard --serve shows a new run without a reload, binds 127.0.0.1 and stops on SIGTERM", async () => {
    const server = Bun.spawn([BINARY, "dashboard", "--serve", "--port", "0", "--artifacts-dir", artifacts], { stdout: "pipe", stderr: "pipe" });
    try {
      const reader = server.stdout.getReader();
      let banner = "";
      while (!banner.includes("\n")) {
        const { value, done } = await reader.read();
        if (done) break;
        banner += new TextDecoder().decode(value);
      }
      const url = /at (http:\/\/\S+\/) /.exec(banner)?.[1];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const page = await browser!.newPage();
      const requests: string[] = [];
      page.on("request", (request) => requests.push(request.url()));
      await page.goto(url!);
      await page.waitForSelector("#live.on");
      await page.evaluate(() => { (globalThis as unknown as { marker: number }).marker = 42; });
      const before = await page.$$eval("article.card[data-family='ok.yml'] ol.history a", (els) => els.length);
      expect(runBinary(["run", "--config", "ok.yml"], { cwd: tmp.dir }).exitCode).toBe(0);
      const newest = JSON.parse(runBinary(["runs", "list", "--format", "json", "--artifacts-dir", artifacts]).stdout).runs[0].run_id;
      await page.waitForSelector(`article.card[data-family='ok.yml'] ol.history a[data-run='${newest}']`, { timeout: 60_000 });
      expect(await page.$$eval("article.card[data-family='ok.yml'] ol.history a", (els) => els.length)).toBe(before + 1);
      expect(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(42);
      expect(requests.filter((r) => !r.startsWith(url!))).toEqual([]);
      // A page elsewhere that got its name resolved to 127.0.0.1 is turned away.
      const rebound = await fetch(url!, { headers: { host: `attacker.example:${new URL(url!).port}` } });
      expect(rebound.status).toBe(403);
      const outside = await fetch(`${url}artifact/..%2F..%2Fetc%2Fpasswd`);
      expect(outside.status).toBe(404);
      const inside = await fetch(`${url}artifact/runs/history.jsonl`);
      expect(inside.status).toBe(200);
      expect(inside.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      await page.close();
    } finally {
      server.kill("SIGTERM");
    }
    expect(await server.exited).toBe(0);
  }, 120_000);
});
