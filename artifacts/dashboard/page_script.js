// The dashboard page's script: renders the model embedded in the page (and, when served live,
// each new model the server sends) with DOM calls only: artifact text is never parsed as HTML.
(() => {
  "use strict";
  const page = JSON.parse(document.getElementById("dashboard-page").textContent);
  let model = null;
  const main = document.getElementById("main");
  const announcer = document.getElementById("announcer");
  const state = { status: "all", family: "all", shown: 200 };
  const STATUSES = ["error", "fail", "running", "incomplete", "unknown", "pass"];

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") el.className = value;
      else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
      else el.setAttribute(key, value === true ? "" : String(value));
    }
    append(el, children);
    return el;
  }

  function append(el, children) {
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      if (Array.isArray(child)) append(el, child);
      else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }

  const SVG = "http://www.w3.org/2000/svg";

  function runHref(key) {
    return `#/run/${encodeURIComponent(key)}`;
  }

  /** A link to an artifact file: file:// beside the page, /artifact/ when served; null when it cannot be opened. */
  function fileHref(path) {
    if (path.startsWith("…")) return null;
    if (path.startsWith("/")) return page.live ? null : `file://${encodeURI(path)}`;
    return page.link_base + path.split("/").map(encodeURIComponent).join("/");
  }

  function fileLink(path) {
    const href = fileHref(path);
    return href ? h("a", { href, class: "path" }, path) : h("span", { class: "path" }, path);
  }

  function formatTime(iso) {
    if (!iso) return "unknown time";
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso;
    return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
  }

  function relativeTime(iso) {
    const t = Date.parse(iso || "");
    if (Number.isNaN(t)) return "";
    const seconds = Math.round((Date.now() - t) / 1000);
    if (seconds < 0) return "in the future";
    const units = [[86400, "d"], [3600, "h"], [60, "min"], [1, "s"]];
    for (const [size, unit] of units) if (seconds >= size) return `${Math.floor(seconds / size)} ${unit} ago`;
    return "just now";
  }

  function timeEl(iso) {
    const relative = relativeTime(iso);
    return h("time", { datetime: iso || null, title: relative || null }, formatTime(iso), relative ? h("span", { class: "muted" }, ` (${relative})`) : null);
  }

  function formatDuration(ms) {
    if (ms === null || ms === undefined) return "–";
    if (ms < 1000) return `${Math.round(ms)} ms`;
    if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
    const minutes = Math.floor(ms / 60000);
    return `${minutes} min ${Math.round((ms % 60000) / 1000)} s`;
  }

  function countsText(counts) {
    if (!counts) return null;
    return `${counts.total} total · ${counts.ok} ok · ${counts.changed} changed · ${counts.failed} failed · ${counts.skipped} skipped`;
  }

  function pill(status) {
    return h("span", { class: `pill status-${status}` }, status);
  }

  function badges(list, label) {
    if (!list || list.length === 0) return null;
    return h("ul", { class: "badges", "aria-label": label },
      list.map((b) => h("li", { class: `badge badge-${b.kind}`, "data-kind": b.kind }, b.message)));
  }

  function facts(pairs) {
    const rows = pairs.filter((p) => p && p[1] !== null && p[1] !== undefined && p[1] !== "");
    if (rows.length === 0) return null;
    return h("dl", { class: "facts" }, rows.map(([term, value]) => h("div", {}, h("dt", {}, term), h("dd", {}, value))));
  }

  function fields(list) {
    if (!list || list.length === 0) return null;
    return h("dl", { class: "fields", "aria-label": "Other fields" }, list.map((f) => h("div", {}, h("dt", {}, f.label), h("dd", {}, f.value))));
  }

  function evidence(list) {
    if (!list || list.length === 0) return null;
    return h("section", { class: "evidence" }, h("h3", {}, "Evidence"), h("ul", {}, list.map((p) => h("li", {}, fileLink(p)))));
  }

  const GLYPH = { created: "+", modified: "~", removed: "-" };

  function changedList(files, total) {
    if (!files || files.length === 0) return null;
    const more = total > files.length ? h("li", { class: "muted" }, `… and ${total - files.length} more`) : null;
    return h("details", { class: "changed" },
      h("summary", {}, `Changed files (${total})`),
      h("ul", {}, files.map((f) => h("li", {}, h("span", { class: "glyph", "aria-label": f.operation }, GLYPH[f.operation] || "?"), " ", h("span", { class: "path" }, f.path))), more));
  }

  function failedStep(step) {
    if (!step) return null;
    return h("section", { class: "failure" },
      h("h3", {}, "Failed step"),
      h("p", {}, h("strong", {}, step.name), ` (${step.step_id})`, step.error_kind ? [" · ", h("span", { class: "error-kind" }, step.error_kind)] : null),
      step.message ? h("pre", { class: "message" }, step.message) : null,
      step.stderr ? [h("p", { class: "muted" }, "Last lines of stderr"), h("pre", { class: "stderr" }, step.stderr)] : null);
  }

  function runsByKey() {
    const map = new Map();
    for (const run of model.runs) map.set(run.key, run);
    return map;
  }

  function historyStrip(card, byKey) {
    const runs = card.history.map((key) => byKey.get(key)).filter(Boolean).reverse();
    if (runs.length === 0) return null;
    const list = h("ol", { class: "history", "aria-label": `Last ${runs.length} runs, oldest first` },
      runs.map((run) => h("li", {}, h("a", {
        href: runHref(run.key),
        class: `dot status-${run.status}`,
        title: `${run.id}: ${run.status}, ${formatTime(run.started_at)}, ${formatDuration(run.duration_ms)}`,
        "aria-label": `${run.id}: ${run.status}, started ${formatTime(run.started_at)}, took ${formatDuration(run.duration_ms)}`,
        "data-run": run.id,
      }))));
    return h("div", { class: "history-block" }, h("h3", { class: "sr-only" }, "History"), list, sparkline(runs));
  }

  function sparkline(runs) {
    const durations = runs.map((r) => r.duration_ms);
    const known = durations.filter((d) => typeof d === "number");
    if (known.length < 2) return null;
    const width = 14 * runs.length;
    const height = 28;
    const max = Math.max(...known) || 1;
    const points = [];
    durations.forEach((d, i) => {
      if (typeof d === "number") points.push(`${i * 14 + 7},${(height - 3 - (d / max) * (height - 6)).toFixed(1)}`);
    });
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "sparkline");
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("width", String(width));
    svg.setAttribute("height", String(height));
    svg.setAttribute("aria-hidden", "true");
    const line = document.createElementNS(SVG, "polyline");
    line.setAttribute("points", points.join(" "));
    svg.append(line);
    const min = Math.min(...known);
    return h("div", { class: "spark" }, svg, h("span", { class: "sr-only" }, `Durations from ${formatDuration(min)} to ${formatDuration(max)}`),
      h("span", { class: "muted small", "aria-hidden": "true" }, `${formatDuration(min)}–${formatDuration(max)}`));
  }

  function card(c, byKey, index) {
    const titleId = `card-title-${index}`;
    const last = c.last;
    return h("article", { class: `card status-border-${c.status}`, "aria-labelledby": titleId, "data-family": c.name },
      h("header", { class: "card-head" },
        h("h2", { id: titleId }, c.name),
        h("span", { class: "kind" }, c.kind === "config" ? "config" : c.kind === "glob" ? "family" : "product"),
        pill(c.status)),
      facts([
        c.product_status !== null ? ["Product status", c.product_status] : null,
        ["Last run", last ? h("a", { href: runHref(last.key), class: "run-link" }, last.id) : "none"],
        last ? ["When", timeEl(last.started_at)] : null,
        last && last.duration_ms !== null ? ["Duration", formatDuration(last.duration_ms)] : null,
        last && last.counts ? ["Steps", countsText(last.counts)] : null,
        ["Runs", String(c.runs_total)],
        ["Last pass", c.last_pass ? `${c.last_pass.id} (${formatTime(c.last_pass.started_at)})` : "none"],
        c.pinned.length ? ["Pinned", c.pinned.join(", ")] : null,
      ]),
      badges(c.badges, `Problems of ${c.name}`),
      c.summary ? h("p", { class: "summary" }, c.summary) : null,
      failedStep(c.failed_step),
      changedList(c.changed_files, c.changed_total),
      fields(c.fields),
      c.screenshot ? screenshot(c) : null,
      evidence(c.evidence),
      historyStrip(c, byKey));
  }

  function screenshot(c) {
    const href = fileHref(c.screenshot.path);
    const img = c.screenshot.data_uri
      ? h("img", { src: c.screenshot.data_uri, alt: `Screenshot of the last run of ${c.name}`, class: "thumb" })
      : h("span", {}, "Screenshot (too large to embed)");
    return h("figure", { class: "screenshot" }, href ? h("a", { href }, img) : img, h("figcaption", { class: "muted small" }, c.screenshot.path));
  }

  function matches(status, family) {
    return (state.status === "all" || state.status === status) && (state.family === "all" || state.family === family);
  }

  function filters() {
    const statuses = STATUSES.filter((s) => model.families.some((f) => f.status === s) || model.runs.some((r) => r.status === s));
    const names = [...new Set(model.families.map((f) => f.name))].sort();
    const select = (id, label, value, options, onChange) => h("label", { for: id }, label, " ",
      h("select", { id, onchange: (e) => { onChange(e.target.value); render(); } },
        options.map(([v, text]) => h("option", { value: v, selected: v === value }, text))));
    return h("form", { class: "filters", role: "search", "aria-label": "Filters", onsubmit: (e) => e.preventDefault() },
      select("filter-status", "Status", state.status, [["all", "All statuses"], ...statuses.map((s) => [s, s])], (v) => { state.status = v; }),
      select("filter-family", "Family", state.family, [["all", "All families"], ...names.map((n) => [n, n])], (v) => { state.family = v; }));
  }

  function familiesView() {
    const byKey = runsByKey();
    const shown = model.families.filter((f) => matches(f.status, f.name));
    if (model.families.length === 0) return h("p", { class: "empty" }, "No runs or artifact families found in this directory.");
    if (shown.length === 0) return h("p", { class: "empty" }, "No family matches the filters.");
    return h("div", { class: "cards" }, shown.map((c, i) => card(c, byKey, i)));
  }

  function runsView() {
    const rows = model.runs.filter((r) => matches(r.status, r.family));
    const visible = rows.slice(0, state.shown);
    const table = h("table", { class: "runs" },
      h("caption", {}, `${rows.length} runs, newest first`),
      h("thead", {}, h("tr", {}, ["Status", "Run", "Family", "Started", "Duration", "Steps"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, visible.map((r) => h("tr", {},
        h("td", {}, pill(r.status)),
        h("td", {}, r.detailed ? h("a", { href: runHref(r.key) }, r.id) : r.id),
        h("td", {}, r.family),
        h("td", {}, formatTime(r.started_at)),
        h("td", { class: "num" }, formatDuration(r.duration_ms)),
        h("td", {}, countsText(r.counts) || "–")))));
    const more = rows.length > visible.length
      ? h("button", { type: "button", onclick: () => { state.shown += 500; render(); } }, `Show ${Math.min(500, rows.length - visible.length)} more`)
      : null;
    return h("div", { class: "table-wrap" }, table, more);
  }

  function runView(key) {
    const run = runsByKey().get(key);
    const back = h("p", {}, h("a", { href: "#/" }, "← All families"));
    if (!run) return h("div", {}, back, h("p", { class: "empty" }, "This run is not in the artifacts any more."));
    const detail = model.details[key];
    const header = h("header", { class: "run-head" }, h("h2", { id: "run-title" }, `Run ${run.id}`), pill(run.status));
    const summary = facts([
      ["Family", run.family],
      ["Started", timeEl(run.started_at)],
      detail && detail.ended_at ? ["Ended", formatTime(detail.ended_at)] : null,
      ["Duration", formatDuration(run.duration_ms)],
      run.counts ? ["Steps", countsText(run.counts)] : null,
      run.dry_run ? ["Dry run", "yes"] : null,
      ["Directory", fileLink(run.path)],
    ]);
    if (!detail) {
      return h("section", { "aria-labelledby": "run-title" }, back, header, summary,
        h("p", { class: "empty" }, `The page holds the details of the last ${model.history_limit} runs of each family. Read this one with: mooncake runs show ${run.id}`));
    }
    return h("section", { "aria-labelledby": "run-title" }, back, header, summary,
      badges(detail.badges, "Problems of this run"),
      detail.error_message ? h("pre", { class: "message" }, detail.error_kind ? `${detail.error_kind}: ${detail.error_message}` : detail.error_message) : null,
      stepsTable(detail.steps),
      timeline(detail),
      diffTable(detail.changed_files),
      fields(detail.fields),
      evidence(detail.evidence));
  }

  function stepsTable(steps) {
    if (!steps.length) return null;
    return h("table", { class: "steps" },
      h("caption", {}, `Steps (${steps.length})`),
      h("thead", {}, h("tr", {}, ["Step", "Name", "Action", "Status", "Duration", "Attempts", "rc", "Error"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, steps.map((s) => h("tr", { class: `step-${s.status}` },
        h("td", {}, s.step_id), h("td", {}, s.name), h("td", {}, s.action), h("td", {}, pill(s.status === "failed" ? "fail" : s.status === "skipped" ? "unknown" : "pass"), " ", s.status),
        h("td", { class: "num" }, formatDuration(s.duration_ms)), h("td", { class: "num" }, s.attempts ?? "–"), h("td", { class: "num" }, s.rc ?? "–"),
        h("td", {}, s.error_message ? [s.error_kind ? h("span", { class: "error-kind" }, s.error_kind) : null, " ", s.error_message] : null,
          s.stderr ? h("pre", { class: "stderr" }, s.stderr) : null)))));
  }

  function timeline(detail) {
    if (!detail.events.length && !detail.events_note) return null;
    const start = Date.parse(detail.events[0] ? detail.events[0].timestamp : "");
    return h("section", { class: "timeline" }, h("h3", {}, "Events"),
      detail.events_note ? h("p", { class: "muted" }, detail.events_note) : null,
      h("ol", {}, detail.events.map((e) => {
        const offset = Date.parse(e.timestamp) - start;
        return h("li", { class: `event event-${e.type.replace(/\W/g, "-")}` },
          h("time", { datetime: e.timestamp }, Number.isNaN(offset) ? "" : `+${formatDuration(offset)}`), " ",
          h("span", { class: "event-type" }, e.type), e.step_id ? h("span", { class: "muted" }, ` ${e.step_id}`) : null, " ", e.text);
      })));
  }

  function diffTable(files) {
    if (!files.length) return null;
    return h("table", { class: "diff" },
      h("caption", {}, `Changed files (${files.length})`),
      h("thead", {}, h("tr", {}, ["", "Path", "Kind", "Step"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, files.map((f) => h("tr", {},
        h("td", { "aria-label": f.operation }, GLYPH[f.operation] || "?"), h("td", { class: "path" }, f.path), h("td", {}, f.kind), h("td", {}, f.step_id)))));
  }

  function route() {
    const hash = location.hash || "#/";
    if (hash.startsWith("#/run/")) return { view: "run", key: decodeURIComponent(hash.slice(6)) };
    if (hash === "#/runs") return { view: "runs" };
    return { view: "families" };
  }

  function render() {
    if (!model) return;
    const focused = document.activeElement && document.activeElement.id;
    const { view, key } = route();
    const nav = h("nav", { "aria-label": "Views" }, h("ul", {},
      h("li", {}, h("a", { href: "#/", "aria-current": view === "families" ? "page" : null }, `Families (${model.families.length})`)),
      h("li", {}, h("a", { href: "#/runs", "aria-current": view === "runs" ? "page" : null }, `Runs (${model.runs.length})`))));
    const body = view === "run" ? runView(key) : view === "runs" ? runsView() : familiesView();
    main.replaceChildren(...[
      nav,
      view === "run" ? null : filters(),
      badges(model.badges, "Problems of the artifact tree"),
      body,
    ].filter(Boolean));
    document.getElementById("generated").textContent = `${model.root} · generated ${formatTime(model.generated_at)}`;
    if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
  }

  window.addEventListener("hashchange", () => {
    render();
    const heading = main.querySelector("h2");
    if (route().view === "run" && heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  });

  function connect() {
    const live = document.getElementById("live");
    live.hidden = false;
    const source = new EventSource("events");
    source.addEventListener("open", () => { live.textContent = "Live"; live.className = "live on"; });
    source.addEventListener("error", () => { live.textContent = "Reconnecting…"; live.className = "live off"; });
    source.addEventListener("model", (event) => {
      const before = model.runs.length;
      model = JSON.parse(event.data);
      render();
      const added = model.runs.length - before;
      if (added > 0) announcer.textContent = `${added} new run${added === 1 ? "" : "s"}`;
    });
  }

  /** The model embedded in the page: JSON, gzipped and in base64 to keep the file small. */
  async function embeddedModel() {
    const text = document.getElementById("dashboard-model").textContent.trim();
    const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return JSON.parse(await new Response(stream).text());
  }

  embeddedModel().then((loaded) => {
    model = loaded;
    render();
    if (page.live) connect();
  }, (error) => {
    main.textContent = `This browser cannot read the page's data (${error}): \`mooncake dashboard --format json\` prints it.`;
  });
})();
