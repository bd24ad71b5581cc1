import packageJson from "../package.json" with { type: "json" };
import { installCrashHandler } from "./crash_handler.ts";
import { SyncWriter } from "./stdio.ts";
import { restoreStdioFlagsOnExit } from "./stdio_blocking.ts";

// `--version` answers before the command line parser loads, so it costs little more than the
// runtime's own start.
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
  new SyncWriter(1).write(`${packageJson.version}\n`);
} else {
  installCrashHandler();
  restoreStdioFlagsOnExit();
  void import("./run_cli.ts").then(({ runCli }) => runCli(argv, packageJson.version));
}
