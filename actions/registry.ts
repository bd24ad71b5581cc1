import { actionCatalog, type ActionCatalog } from "../core/exec/action.ts";

// Each action's module is required when a step first names it (require is synchronous, so the
// plan compiler stays synchronous; the bundle evaluates the module only then). A new action
// adds its line here, under the name steps use for it.

/** Every action mooncake ships, in the order help and schemas list them. */
export const ACTIONS: ActionCatalog = actionCatalog({
  shell: () => (require("./shell.ts") as typeof import("./shell.ts")).shell,
  command: () => (require("./command.ts") as typeof import("./command.ts")).command,
  print: () => (require("./print.ts") as typeof import("./print.ts")).print,
  package: () => (require("./package.ts") as typeof import("./package.ts")).packageAction,
  file: () => (require("./file.ts") as typeof import("./file.ts")).file,
  copy: () => (require("./copy.ts") as typeof import("./copy.ts")).copy,
  sync: () => (require("./sync.ts") as typeof import("./sync.ts")).sync,
  template: () => (require("./template.ts") as typeof import("./template.ts")).template,
  unarchive: () => (require("./unarchive.ts") as typeof import("./unarchive.ts")).unarchive,
  download: () => (require("./download.ts") as typeof import("./download.ts")).download,
  file_replace: () => (require("./file_replace.ts") as typeof import("./file_replace.ts")).fileReplace,
  file_insert: () => (require("./file_insert.ts") as typeof import("./file_insert.ts")).fileInsert,
  file_delete_range: () => (require("./file_delete_range.ts") as typeof import("./file_delete_range.ts")).fileDeleteRange,
  file_patch_apply: () => (require("./file_patch_apply.ts") as typeof import("./file_patch_apply.ts")).filePatchApply,
  systemd: () => (require("./systemd.ts") as typeof import("./systemd.ts")).systemd,
  launchd: () => (require("./launchd.ts") as typeof import("./launchd.ts")).launchd,
  service: () => (require("./service.ts") as typeof import("./service.ts")).service,
  assert: () => (require("./assert.ts") as typeof import("./assert.ts")).assert,
  wait: () => (require("./wait.ts") as typeof import("./wait.ts")).wait,
  ollama: () => (require("./ollama.ts") as typeof import("./ollama.ts")).ollama,
  docker: () => (require("./container_runtimes.ts") as typeof import("./container_runtimes.ts")).docker,
  nvidia_container_toolkit: () => (require("./container_runtimes.ts") as typeof import("./container_runtimes.ts")).nvidiaContainerToolkit,
  apptainer: () => (require("./container_runtimes.ts") as typeof import("./container_runtimes.ts")).apptainer,
  uv: () => (require("./uv.ts") as typeof import("./uv.ts")).uv,
  micromamba: () => (require("./micromamba.ts") as typeof import("./micromamba.ts")).micromamba,
  python_env: () => (require("./python_env.ts") as typeof import("./python_env.ts")).pythonEnv,
  vars: () => (require("./plan_time.ts") as typeof import("./plan_time.ts")).vars,
  include: () => (require("./plan_time.ts") as typeof import("./plan_time.ts")).include,
  include_vars: () => (require("./plan_time.ts") as typeof import("./plan_time.ts")).includeVars,
  preset: () => (require("./plan_time.ts") as typeof import("./plan_time.ts")).preset,
});
