import { Command, Option } from "clipanion";
import { EXIT } from "./config_command.ts";
import { ARTIFACTS_DIR_OPTION, HOST_OPTION } from "./runs_list_command.ts";
import { textOrJsonFormat } from "./format_option.ts";

export class RunsShowCommand extends Command {
  static override paths = [["runs", "show"]];

  static override usage = Command.Usage({
    description: "Show one recorded run: its summary, failed steps and changed files",
    details: `
      Reads the run directory \`runs/RUN_ID/\` of the artifacts directory (\`last\` is the newest
      run): the summary, each failed step with its error kind, message and the files holding the
      evidence, and the files the run changed. Files written by upstream mooncake (without
      \`schema_version\`) are read too. A file that is missing, invalid, or of an unknown version
      is named under "Problems" and the rest is shown as well as it can be; a run killed before
      it finished shows as incomplete.

      A run a fleet run brought home from an inventory host (\`hosts/<host>/runs/RUN_ID/\`) is
      found by its id when no run of this machine has it; \`--host NAME\` (or \`NAME/RUN_ID\`, its
      id in \`mooncake artifacts list\`) says which host's run to show, and \`--host NAME last\`
      shows that host's newest run.

      \`--format json\` prints \`{run_id, host, dir, state, summary, results, diff, problems}\`,
      the three files as \`schemas/\` describes them (null where unreadable), host null for a run
      of this machine.
    `,
    examples: [
      ["Show the newest run", "$0 runs show last"],
      ["Show a run as JSON", "$0 runs show 20260204-141419-a3f2c8 --format json"],
      ["Show the newest run brought home from host web1", "$0 runs show last --host web1"],
    ],
  });

  runId = Option.String({ name: "RUN_ID" });

  artifactsDir = Option.String(...ARTIFACTS_DIR_OPTION);

  host = Option.String(...HOST_OPTION);

  format = textOrJsonFormat();

  async execute(): Promise<number> {
    const [{ locateRun, readRun, RunNotFound }, { runLines }, { styleFor }] = await Promise.all([
      import("../artifacts/reader/read_run.ts"),
      import("../artifacts/reader/format_runs.ts"),
      import("../core/events/presenters/style.ts"),
    ]);
    let run;
    try {
      const { location, runId } = locateRun(this.artifactsDir, this.runId, this.host);
      run = readRun(location, runId);
    } catch (e) {
      if (!(e instanceof RunNotFound)) throw e;
      this.context.stderr.write(`error: ${e.message}\n`);
      return EXIT.invalidInput;
    }
    const text = this.format === "json"
      ? JSON.stringify(run, null, 2)
      : runLines(run, styleFor(this.context.stdout as NodeJS.WriteStream)).join("\n");
    this.context.stdout.write(`${text}\n`);
    return EXIT.ok;
  }
}
