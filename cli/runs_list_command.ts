import { Command, Option, UsageError } from "clipanion";
import { EXIT } from "./config_command.ts";
import { textOrJsonFormat } from "./format_option.ts";

export const ARTIFACTS_DIR_OPTION = ["--artifacts-dir", ".mooncake", { description: "The artifacts directory the runs were recorded in (default .mooncake)" }] as const;

export const HOST_OPTION = ["--host", { description: "An inventory host whose runs a fleet run brought home (hosts/NAME/runs/ of the artifacts directory)" }] as const;

export class RunsListCommand extends Command {
  static override paths = [["runs", "list"]];

  static override usage = Command.Usage({
    description: "List the recorded runs, newest first",
    details: `
      Reads \`runs/history.jsonl\` of the artifacts directory: one line per finished run, with its
      status, start, duration and step counts. A line that cannot be read is reported, not skipped.
      A run directory with a summary but no history line is listed from its summary. Runs killed
      before they finished have neither: \`runs show\` reads their directory.

      Runs that fleet runs brought home from inventory hosts (\`hosts/<host>/runs/\`) are listed
      too, with a HOST column ("-" for this machine's runs), all sorted by start time.
      \`--host NAME\` lists one host's runs only.

      A run gc moved to the trash is marked "(in the trash)" (\`artifacts restore\` brings it
      back), one deleted for good "(deleted)".

      \`--format json\` prints \`{"runs": [history entries], "trashed": [run ids], "deleted": [run
      ids], "problems": [messages], "hosts": {"<host>": {runs, trashed, deleted, problems}}}\`
      (this machine's runs at the top level); each entry has the shape of
      \`schemas/history.schema.json\`. With \`--host NAME\`: \`{"host": NAME, runs, trashed,
      deleted, problems}\`.
    `,
    examples: [
      ["List the runs", "$0 runs list"],
      ["The runs brought home from host web1", "$0 runs list --host web1"],
      ["The newest run's id", "$0 runs list --format json | jq -r '.runs[0].run_id'"],
    ],
  });

  artifactsDir = Option.String(...ARTIFACTS_DIR_OPTION);

  host = Option.String(...HOST_OPTION);

  format = textOrJsonFormat();

  async execute(): Promise<number> {
    const [{ readHistory }, { readRunsListing, allRuns }, { historyLines, listedRuns }, { runsDirOf }, { unsafeNameReason }, { styleFor }] = await Promise.all([
      import("../artifacts/reader/read_history.ts"),
      import("../artifacts/reader/list_runs.ts"),
      import("../artifacts/reader/format_runs.ts"),
      import("../artifacts/runs_location.ts"),
      import("../core/fleet/host_name.ts"),
      import("../core/events/presenters/style.ts"),
    ]);
    const style = styleFor(this.context.stdout as NodeJS.WriteStream);
    const root = this.artifactsDir;
    if (this.host !== undefined) {
      const unsafe = unsafeNameReason(this.host);
      if (unsafe) throw new UsageError(`Invalid --host ${JSON.stringify(this.host)}: ${unsafe}`);
      const location = { root, host: this.host };
      const history = readHistory(location);
      if (this.format === "json") return this.print({ host: this.host, runs: history.entries, trashed: history.trashed, deleted: history.deleted, problems: history.problems });
      this.warn(history.problems);
      const lines = history.entries.length ? historyLines(listedRuns(history, this.host), style) : [`No runs of host "${this.host}" in "${runsDirOf(location)}"`];
      this.context.stdout.write(`${lines.join("\n")}\n`);
      return EXIT.ok;
    }

    const listing = readRunsListing(root);
    const { here } = listing;
    if (this.format === "json") {
      const hosts = Object.fromEntries(Object.entries(listing.hosts).map(([host, h]) => [host, { runs: h.entries, trashed: h.trashed, deleted: h.deleted, problems: h.problems }]));
      return this.print({ runs: here.entries, trashed: here.trashed, deleted: here.deleted, problems: here.problems, hosts });
    }
    this.warn([here, ...Object.values(listing.hosts)].flatMap((h) => h.problems));
    const runs = allRuns(listing);
    const lines = runs.length ? historyLines(runs, style, Object.keys(listing.hosts).length > 0) : [`No runs recorded in "${runsDirOf({ root })}"`];
    this.context.stdout.write(`${lines.join("\n")}\n`);
    return EXIT.ok;
  }

  private print(value: unknown): number {
    this.context.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    return EXIT.ok;
  }

  private warn(problems: readonly string[]): void {
    for (const problem of problems) this.context.stderr.write(`warning: ${problem}\n`);
  }
}
