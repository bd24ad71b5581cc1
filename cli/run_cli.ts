import { Builtins, Cli } from "clipanion";
import { reportCrash } from "./crash_handler.ts";
import { ActionsListCommand } from "./actions_command.ts";
import { ArtifactsCatCommand } from "./artifacts/cat_command.ts";
import { ArtifactsCompactCommand } from "./artifacts/compact_command.ts";
import { ArtifactsExpandCommand } from "./artifacts/expand_command.ts";
import { ArtifactsGcCommand } from "./artifacts/gc_command.ts";
import { ArtifactsListCommand } from "./artifacts/list_command.ts";
import { ArtifactsPinCommand } from "./artifacts/pin_command.ts";
import { ArtifactsRestoreCommand } from "./artifacts/restore_command.ts";
import { ArtifactsScanCommand } from "./artifacts/scan_command.ts";
import { ArtifactsTrashListCommand } from "./artifacts/trash_list_command.ts";
import { ArtifactsTrashPurgeCommand } from "./artifacts/trash_purge_command.ts";
import { ArtifactsUnpinCommand } from "./artifacts/unpin_command.ts";
import { ArtifactsVerifyCommand } from "./artifacts/verify_command.ts";
import { DashboardCommand } from "./dashboard_command.ts";
import { DoctorCommand } from "./doctor_command.ts";
import { ExampleCommand } from "./example_command.ts";
import { FactsCommand } from "./facts_command.ts";
import { PlanCommand } from "./plan_command.ts";
import { PresetsListCommand } from "./presets_list_command.ts";
import { PresetsShowCommand } from "./presets_show_command.ts";
import { RunCommand } from "./run_command.ts";
import { RunsListCommand } from "./runs_list_command.ts";
import { RunsShowCommand } from "./runs_show_command.ts";
import { SchemaCommand } from "./schema_command.ts";
import { ValidateCommand } from "./validate_command.ts";
import { VersionCommand } from "./version_command.ts";

/** Every command, in the order `--help` lists them. */
const COMMANDS = [
  Builtins.HelpCommand, Builtins.VersionCommand,
  ValidateCommand, PlanCommand, RunCommand, RunsListCommand, RunsShowCommand,
  ArtifactsScanCommand, ArtifactsListCommand, ArtifactsGcCommand, ArtifactsPinCommand, ArtifactsUnpinCommand,
  ArtifactsRestoreCommand, ArtifactsTrashListCommand, ArtifactsTrashPurgeCommand, ArtifactsCompactCommand,
  ArtifactsExpandCommand, ArtifactsCatCommand, ArtifactsVerifyCommand, DashboardCommand,
  FactsCommand, ActionsListCommand, PresetsListCommand, PresetsShowCommand, DoctorCommand, SchemaCommand, ExampleCommand, VersionCommand,
];

/** Clipanion prints an unexpected error with its stack and exits 1; mooncake reports a crash instead. */
export class MooncakeCli extends Cli {
  crashExitCode: number | undefined;

  override error(error: Error, options?: Parameters<Cli["error"]>[1]): string {
    if (error && typeof error === "object" && "clipanion" in error) return super.error(error, options);
    this.crashExitCode = reportCrash(error);
    return "";
  }
}

export function runCli(argv: string[], version: string): void {
  const cli = new MooncakeCli({
    binaryLabel: "mooncake — provision a machine from a YAML description",
    binaryName: "mooncake",
    binaryVersion: version,
    enableColors: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  });
  for (const command of COMMANDS) cli.register(command);
  void cli.runExit(argv).then(() => {
    if (cli.crashExitCode !== undefined) process.exitCode = cli.crashExitCode;
  });
}
