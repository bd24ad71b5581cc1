import { Command, Option } from "clipanion";
import * as t from "typanion";
import { EXIT } from "./config_command.ts";
import { ARTIFACTS_DIR_OPTION } from "./runs_list_command.ts";

const DEFAULT_PORT = 8470;

export class DashboardCommand extends Command {
  static override paths = [["dashboard"]];

  static override usage = Command.Usage({
    description: "Show every family's runs on one page: a self-contained HTML file, or served live",
    details: `
      Reads the artifacts directory as the store does (mooncake runs grouped by config, the
      families of its \`artifacts.yaml\`, a seed-001 \`products.json\` tree) and writes one HTML
      file with everything inline: it opens from disk and makes no network request. A card per
      family shows the last run (status, time, duration, counts, the failed step with its error
      and stderr, changed files, evidence, pins, the last pass) and a history strip of the last
      runs; each run opens a view of its steps, events and changed files.

      A missing, invalid or unknown-version artifact is a badge on its card, in seed 001's words;
      a broken family never breaks the page.

      \`--serve\` serves the page at http://127.0.0.1:PORT/ and updates it while runs happen;
      it answers on another address only when \`--host\` names it. \`--format json\` prints the
      model the page is built from.
    `,
    examples: [
      ["Write dashboard.html", "$0 dashboard"],
      ["Another tree, another file", "$0 dashboard --artifacts-dir /srv/dash --output /tmp/runs.html"],
      ["Serve it live on this machine", "$0 dashboard --serve --port 8470"],
      ["The model, for other tools", "$0 dashboard --format json | jq '.families[] | {name, status}'"],
    ],
  });

  artifactsDir = Option.String(...ARTIFACTS_DIR_OPTION);

  policyFile = Option.String("--policy", { description: "The policy file naming the artifact families (default <artifacts-dir>/artifacts.yaml)" });

  output = Option.String("-o,--output", { description: "Where to write: a file (default dashboard.html for html, standard output for json); - for standard output" });

  format = Option.String("-f,--format", "html", {
    description: "Output format: html or json",
    validator: t.isEnum(["html", "json"] as const),
  });

  history = Option.String("--history", "20", {
    description: "Runs per family in the history strip and in detail (default 20)",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(1, 1000)]),
  });

  serve = Option.Boolean("--serve", false, { description: "Serve the page over HTTP and update it live" });

  port = Option.String("--port", { description: `Port to serve on with --serve (default ${DEFAULT_PORT}; 0 picks a free one)`, validator: t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(0, 65535)]) });

  host = Option.String("--host", { description: "Address to serve on with --serve (default 127.0.0.1); another than loopback must be given here explicitly" });

  async execute(): Promise<number> {
    const misuse = !this.serve && (this.port !== undefined || this.host !== undefined)
      ? "--port and --host go with --serve"
      : this.serve && (this.output !== undefined || this.format !== "html") ? "--serve serves the page: --output and --format go without it" : undefined;
    if (misuse) {
      this.context.stderr.write(`error: ${misuse}\n`);
      return EXIT.invalidInput;
    }
    const [{ loadPolicy }, { formatDiagnostic, hasErrors }, { buildDashboard }] = await Promise.all([
      import("../artifacts/store/policy.ts"),
      import("../core/config/diagnostics.ts"),
      import("../artifacts/dashboard/build_dashboard.ts"),
    ]);
    const { policy, diagnostics } = loadPolicy(this.artifactsDir, this.policyFile);
    for (const d of diagnostics) this.context.stderr.write(`${formatDiagnostic(d)}\n`);
    if (!policy || hasErrors(diagnostics)) return EXIT.invalidInput;
    const build = () => buildDashboard(this.artifactsDir, policy, { history: this.history });
    if (this.serve) return this.serveLive(build);

    const model = build();
    for (const badge of model.badges) this.context.stderr.write(`warning: ${badge.message}\n`);
    let text: string;
    if (this.format === "json") {
      text = `${JSON.stringify(model, null, 2)}\n`;
    } else {
      const { renderDashboardHtml } = await import("../artifacts/dashboard/render_html.ts");
      text = renderDashboardHtml(model, { live: false });
    }
    const output = this.output ?? (this.format === "json" ? "-" : "dashboard.html");
    if (output === "-") {
      this.context.stdout.write(text);
      return EXIT.ok;
    }
    const { writeFileAtomic } = await import("../core/fs/write_file_atomic.ts");
    try {
      writeFileAtomic(output, text);
    } catch (e) {
      this.context.stderr.write(`error: Cannot write "${output}": ${(e as Error).message}\n`);
      return EXIT.storeFailed;
    }
    const kb = (Buffer.byteLength(text) / 1024).toFixed(0);
    this.context.stdout.write(`Wrote ${output} (${model.families.length} families, ${model.runs.length} runs, ${kb} KB)\n`);
    return EXIT.ok;
  }

  private async serveLive(build: () => import("../artifacts/dashboard/model.ts").DashboardModel): Promise<number> {
    const { serveDashboard, isLoopback } = await import("../artifacts/dashboard/serve_dashboard.ts");
    const host = this.host ?? "127.0.0.1";
    if (!isLoopback(host)) {
      this.context.stderr.write(`warning: serving on "${host}": anyone who can reach this address can read the artifacts\n`);
    }
    let server;
    try {
      server = serveDashboard({ build, host, port: this.port ?? DEFAULT_PORT });
    } catch (e) {
      this.context.stderr.write(`error: Cannot serve on ${host}:${this.port ?? DEFAULT_PORT}: ${(e as Error).message}\n`);
      return EXIT.storeFailed;
    }
    this.context.stdout.write(`Serving the dashboard of "${this.artifactsDir}" at ${server.url} (Ctrl-C stops)\n`);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    server.stop();
    return EXIT.ok;
  }
}
