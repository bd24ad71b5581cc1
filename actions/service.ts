import { Type } from "@sinclair/typebox";
import { Mode, NonEmptyString, Path, Strict } from "../core/config/schema_types.ts";
import type { ActionSpec } from "./action.ts";

const states = ["started", "stopped", "restarted", "reloaded"] as const;

export const service: ActionSpec = {
  name: "service",
  summary: "Manage a service (systemd on Linux, launchd on macOS), its unit and drop-ins",
  schema: Strict({
    name: NonEmptyString,
    state: Type.Optional(Type.Union(states.map((s) => Type.Literal(s)))),
    enabled: Type.Optional(Type.Boolean()),
    daemon_reload: Type.Optional(Type.Boolean()),
    unit: Type.Optional(Strict({ dest: Type.Optional(Path), content: Type.Optional(Type.String()), src_template: Type.Optional(Path), mode: Type.Optional(Mode) })),
    dropin: Type.Optional(Strict({ name: NonEmptyString, content: Type.Optional(Type.String()), src_template: Type.Optional(Path) })),
  }),
  platforms: ["linux", "darwin"],
  phase: "run",
};
