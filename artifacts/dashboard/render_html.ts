import type { DashboardModel } from "./model.ts";
import script from "./page_script.js" with { type: "text" };
import style from "./page_style.css" with { type: "text" };

export interface PageOptions {
  /** Served by `dashboard --serve`: the page listens for new models and links files through /artifact/. */
  live: boolean;
}

/**
 * The dashboard as one self-contained HTML document: style, script and model inline. Its content
 * security policy forbids every request (images come as data: URIs), so the page works from
 * file:// with no network; the live page may only talk back to the server that sent it.
 */
export function renderDashboardHtml(model: DashboardModel, { live }: PageOptions): string {
  const csp = live
    ? "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data: 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'"
    : "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";
  const page = { live, link_base: live ? "artifact/" : `file://${encodeURI(model.root)}/` };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<title>mooncake runs</title>
<style>${style}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="page-head">
<h1>mooncake runs</h1>
<span id="generated" class="muted small"></span>
<span id="live" class="live" role="status" hidden></span>
</header>
<main id="main" tabindex="-1"><noscript>This page needs JavaScript to show the runs; \`mooncake dashboard --format json\` prints the same data.</noscript></main>
<div id="announcer" class="sr-only" role="status" aria-live="polite"></div>
<script type="application/json" id="dashboard-page">${scriptSafeJson(page)}</script>
<script type="application/octet-stream" id="dashboard-model" data-encoding="gzip+base64">${packModel(model)}</script>
<script>${script}</script>
</body>
</html>
`;
}

/**
 * The model as gzip in base64: the page inflates it with the browser's DecompressionStream.
 * Run data repeats itself (ids, paths, step names), so this makes the page 5-10x smaller.
 */
function packModel(model: DashboardModel): string {
  return Buffer.from(Bun.gzipSync(Buffer.from(JSON.stringify(model)))).toString("base64");
}

/** JSON that cannot end its <script> element early: every "<" (and the JS line separators) escaped. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}
