import { Builtins, Cli } from "clipanion";
import { ExampleCommand } from "./example_command.ts";
import { ActionsListCommand } from "./actions_command.ts";
import { DoctorCommand } from "./doctor_command.ts";
import { FactsCommand } from "./facts_command.ts";
import { PlanCommand } from "./plan_command.ts";
import { RunCommand } from "./run_command.ts";
import { RunsListCommand } from "./runs_list_command.ts";
import { RunsShowCommand } from "./runs_show_command.ts";
import { SchemaCommand } from "./schema_command.ts";
import { ValidateCommand } from "./validate_command.ts";
import { VersionCommand } from "./version_command.ts";

export function runCli(argv: string[], version: string): void {
  const cli = new Cli({
    binaryLabel: "mooncake — provision a machine from a YAML description",
    binaryName: "mooncake",
    binaryVersion: version,
    enableColors: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  });
  cli.register(Builtins.HelpCommand);
  cli.register(Builtins.VersionCommand);
  cli.register(ValidateCommand);
  cli.register(PlanCommand);
  cli.register(RunCommand);
  cli.register(RunsListCommand);
  cli.register(RunsShowCommand);
  cli.register(SchemaCommand);
  cli.register(ExampleCommand);
  cli.register(VersionCommand);
  cli.register(FactsCommand);
  cli.register(ActionsListCommand);
  cli.register(DoctorCommand);
  void cli.runExit(argv);
}
