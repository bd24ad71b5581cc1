import { Type } from "@sinclair/typebox";
import { Mode, NonEmptyString } from "../core/config/schema_types.ts";
import type { WantedAttributes } from "../core/fs/file_attributes.ts";
import { lookupGid, lookupUid } from "../core/fs/ownership.ts";
import { parseMode } from "../core/fs/parse_mode.ts";
import { invalid } from "./fs_action.ts";

/** Mode and ownership of a written file, shared by the actions that write one. */
export const ownershipFields = {
  mode: Type.Optional(Mode),
  owner: Type.Optional(Type.Union([NonEmptyString, Type.Integer({ minimum: 0 })], { description: "A user name or id" })),
  group: Type.Optional(Type.Union([NonEmptyString, Type.Integer({ minimum: 0 })], { description: "A group name or id" })),
  follow: Type.Optional(Type.Boolean({ description: "When a symbolic link is at the path, manage what it points at (default false: a link is replaced, or refused where replacing makes no sense)" })),
};

export interface OwnershipArgs {
  mode?: string | number;
  owner?: string | number;
  group?: string | number;
  follow?: boolean;
}

/** The mode and ids the fields ask for; an unknown user or group or a bad mode fails the step. */
export function wantedAttributes(args: OwnershipArgs): WantedAttributes {
  return invalid(() => ({
    ...(args.mode !== undefined ? { mode: parseMode(args.mode) } : {}),
    ...(args.owner !== undefined ? { uid: lookupUid(args.owner) } : {}),
    ...(args.group !== undefined ? { gid: lookupGid(args.group) } : {}),
  }));
}
