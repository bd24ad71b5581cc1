import { actionCatalog, type ActionCatalog } from "../core/exec/action.ts";
import { assert } from "./assert.ts";
import { command } from "./command.ts";
import { apptainer, docker, nvidiaContainerToolkit } from "./container_runtimes.ts";
import { copy } from "./copy.ts";
import { download } from "./download.ts";
import { file } from "./file.ts";
import { fileDeleteRange } from "./file_delete_range.ts";
import { fileInsert } from "./file_insert.ts";
import { filePatchApply } from "./file_patch_apply.ts";
import { fileReplace } from "./file_replace.ts";
import { include, includeVars, preset, vars } from "./plan_time.ts";
import { launchd } from "./launchd.ts";
import { micromamba } from "./micromamba.ts";
import { ollama } from "./ollama.ts";
import { packageAction } from "./package.ts";
import { print } from "./print.ts";
import { pythonEnv } from "./python_env.ts";
import { service } from "./service.ts";
import { shell } from "./shell.ts";
import { sync } from "./sync.ts";
import { systemd } from "./systemd.ts";
import { template } from "./template.ts";
import { unarchive } from "./unarchive.ts";
import { uv } from "./uv.ts";
import { wait } from "./wait.ts";

/** Every action mooncake ships, in the order help and schemas list them. */
export const ACTIONS: ActionCatalog = actionCatalog([
  shell, command, print, packageAction, file, copy, sync, template, unarchive, download,
  fileReplace, fileInsert, fileDeleteRange, filePatchApply,
  systemd, launchd, service, assert, wait,
  ollama, docker, nvidiaContainerToolkit, apptainer, uv, micromamba, pythonEnv,
  vars, include, includeVars, preset,
]);
