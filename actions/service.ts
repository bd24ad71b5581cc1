import type { ActionSpec } from "../core/exec/action.ts";
import { systemd } from "./systemd.ts";

/**
 * The original mooncake's spelling. It is `systemd` under another name: on macOS a service is
 * a launchd job with a plist and a label, which `launchd` manages with its own fields.
 */
export const service: ActionSpec = {
  ...systemd,
  name: "service",
  summary: "Same as systemd (the original mooncake's name); use launchd on macOS",
};
