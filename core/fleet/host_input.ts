import { Type, type Static } from "@sinclair/typebox";
import { explainSchema } from "../config/explain_schema.ts";
import { SafetyPolicy } from "../security/safety_policy.ts";
import type { InventoryHost } from "./inventory.ts";

/**
 * What the fleet runner hands a host's `mooncake run --fleet-input` on its standard input, one
 * JSON document: everything that must be neither on the host's disk in clear nor on its command
 * line, where every user of the host can read it.
 */
export const HostInput = Type.Object({
  /** Inventory vars (with inventory_hostname, group_names) under the user's --vars and --var. */
  vars: Type.Record(Type.String(), Type.Unknown()),
  /** The merged --secret-vars files. */
  secret_vars: Type.Record(Type.String(), Type.Unknown()),
  sudo_password: Type.Optional(Type.String()),
  /** `ansible_become*`: the default of every step's `become` and `become_user`. */
  become: Type.Optional(Type.Object({ enabled: Type.Boolean(), user: Type.Optional(Type.String()) })),
  /** The --policy of the machine that drives the fleet: the host's run holds to it as to its own. */
  policy: Type.Optional(SafetyPolicy),
});
export type HostInput = Static<typeof HostInput>;

/** The most a host input may hold: variables and secrets, never files. */
export const MAX_HOST_INPUT_BYTES = 16 * 1024 * 1024;

/** A host input that cannot be used; the message says why. */
export class HostInputError extends Error {}

/** Reads the host input from `source` (standard input), bounded by MAX_HOST_INPUT_BYTES. */
export async function readHostInput(source: AsyncIterable<Uint8Array>): Promise<HostInput> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source) {
    size += chunk.length;
    if (size > MAX_HOST_INPUT_BYTES) throw new HostInputError(`The fleet input on standard input is larger than ${MAX_HOST_INPUT_BYTES} bytes`);
    chunks.push(chunk);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch (e) {
    throw new HostInputError(`The fleet input on standard input is not JSON: ${(e as Error).message}`);
  }
  const problems = explainSchema(HostInput, value);
  if (problems.length > 0) {
    throw new HostInputError(`The fleet input on standard input is not valid: ${problems.slice(0, 3).map((p) => `${p.path.join(".") || "(root)"}: ${p.message}`).join("; ")}`);
  }
  return value as HostInput;
}

/**
 * What `host` gets on its standard input: its inventory vars under the user's --vars and --var,
 * the secret vars, the sudo password and its become default. (The inventory loader refuses
 * passwords, so none is among the vars.)
 */
export function hostInputFor(host: InventoryHost, shared: { userVars: Record<string, unknown>; secretVars: Record<string, unknown>; sudoPassword?: string; policy?: SafetyPolicy }): HostInput {
  return {
    vars: { ...host.vars, ...shared.userVars },
    secret_vars: shared.secretVars,
    ...(shared.sudoPassword !== undefined ? { sudo_password: shared.sudoPassword } : {}),
    ...(shared.policy ? { policy: shared.policy } : {}),
    ...(host.become ? { become: { enabled: host.become.enabled, ...(host.become.user !== undefined ? { user: host.become.user } : {}) } } : {}),
  };
}
