import { Builtins, Cli } from "clipanion";
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
import { PlanCommand } from "./plan_command.ts";
import { SchemaCommand } from "./schema_command.ts";
import { ValidateCommand } from "./validate_command.ts";

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
  cli.register(SchemaCommand);
  for (const command of [
    ArtifactsScanCommand, ArtifactsListCommand, ArtifactsGcCommand, ArtifactsPinCommand, ArtifactsUnpinCommand,
    ArtifactsRestoreCommand, ArtifactsTrashListCommand, ArtifactsTrashPurgeCommand, ArtifactsCompactCommand,
    ArtifactsExpandCommand, ArtifactsCatCommand, ArtifactsVerifyCommand,
  ]) cli.register(command);
  void cli.runExit(argv);
}
