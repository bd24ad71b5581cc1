import packageJson from "../package.json" with { type: "json" };
import { installCrashHandler } from "./crash_handler.ts";

// `--version` answers before the command line parser loads, so it costs little more than the
// runtime's own start.
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
  process.stdout.write(`${packageJson.version}\n`);
} else {
  installCrashHandler();
  void import("./run_cli.ts").then(({ runCli }) => runCli(argv, packageJson.version));
}
