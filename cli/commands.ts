import type { CommandClass } from "clipanion";

type Loader = () => Promise<CommandClass>;

/**
 * Every command by its path, loaded only when the command line may name it: `mooncake validate`
 * loads the validate command alone, `mooncake artifacts ...` the artifacts verbs. The order is
 * the one `--help` lists them in.
 */
export const COMMANDS: readonly { path: readonly string[]; load: Loader }[] = [
  { path: ["validate"], load: async () => (await import("./validate_command.ts")).ValidateCommand },
  { path: ["plan"], load: async () => (await import("./plan_command.ts")).PlanCommand },
  { path: ["run"], load: async () => (await import("./run_command.ts")).RunCommand },
  { path: ["explain"], load: async () => (await import("./explain_command.ts")).ExplainCommand },
  { path: ["runs", "list"], load: async () => (await import("./runs_list_command.ts")).RunsListCommand },
  { path: ["runs", "show"], load: async () => (await import("./runs_show_command.ts")).RunsShowCommand },
  { path: ["artifacts", "scan"], load: async () => (await import("./artifacts/scan_command.ts")).ArtifactsScanCommand },
  { path: ["artifacts", "list"], load: async () => (await import("./artifacts/list_command.ts")).ArtifactsListCommand },
  { path: ["artifacts", "gc"], load: async () => (await import("./artifacts/gc_command.ts")).ArtifactsGcCommand },
  { path: ["artifacts", "pin"], load: async () => (await import("./artifacts/pin_command.ts")).ArtifactsPinCommand },
  { path: ["artifacts", "unpin"], load: async () => (await import("./artifacts/unpin_command.ts")).ArtifactsUnpinCommand },
  { path: ["artifacts", "restore"], load: async () => (await import("./artifacts/restore_command.ts")).ArtifactsRestoreCommand },
  { path: ["artifacts", "trash", "list"], load: async () => (await import("./artifacts/trash_list_command.ts")).ArtifactsTrashListCommand },
  { path: ["artifacts", "trash", "purge"], load: async () => (await import("./artifacts/trash_purge_command.ts")).ArtifactsTrashPurgeCommand },
  { path: ["artifacts", "compact"], load: async () => (await import("./artifacts/compact_command.ts")).ArtifactsCompactCommand },
  { path: ["artifacts", "expand"], load: async () => (await import("./artifacts/expand_command.ts")).ArtifactsExpandCommand },
  { path: ["artifacts", "cat"], load: async () => (await import("./artifacts/cat_command.ts")).ArtifactsCatCommand },
  { path: ["artifacts", "verify"], load: async () => (await import("./artifacts/verify_command.ts")).ArtifactsVerifyCommand },
  { path: ["dashboard"], load: async () => (await import("./dashboard_command.ts")).DashboardCommand },
  { path: ["facts"], load: async () => (await import("./facts_command.ts")).FactsCommand },
  { path: ["actions", "list"], load: async () => (await import("./actions_command.ts")).ActionsListCommand },
  { path: ["presets", "list"], load: async () => (await import("./presets_list_command.ts")).PresetsListCommand },
  { path: ["presets", "show"], load: async () => (await import("./presets_show_command.ts")).PresetsShowCommand },
  { path: ["doctor"], load: async () => (await import("./doctor_command.ts")).DoctorCommand },
  { path: ["schema"], load: async () => (await import("./schema_command.ts")).SchemaCommand },
  { path: ["example"], load: async () => (await import("./example_command.ts")).ExampleCommand },
  { path: ["version"], load: async () => (await import("./version_command.ts")).VersionCommand },
];

/** The commands `argv` may run: those under its first word, or all of them (help, or a word no command starts with). */
export async function commandsFor(argv: readonly string[]): Promise<CommandClass[]> {
  const named = COMMANDS.filter((c) => c.path[0] === argv[0]);
  return Promise.all((named.length ? named : COMMANDS).map((c) => c.load()));
}
