import { Type } from "@sinclair/typebox";
import { Mode, NonEmptyString } from "../core/config/schema_types.ts";

/** Mode and ownership of a written file, shared by the actions that write one. */
export const ownershipFields = {
  mode: Type.Optional(Mode),
  owner: Type.Optional(Type.Union([NonEmptyString, Type.Integer({ minimum: 0 })])),
  group: Type.Optional(Type.Union([NonEmptyString, Type.Integer({ minimum: 0 })])),
};
