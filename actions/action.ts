import type { TSchema } from "@sinclair/typebox";

export type Platform = "linux" | "darwin" | "windows";

export const ALL_PLATFORMS: readonly Platform[] = ["linux", "darwin", "windows"];

/**
 * What the config language knows about an action. The executor adds `check` and `apply` to
 * the run-time actions; plan-time actions (`vars`, `include`, `include_vars`) are resolved by
 * the plan compiler and never reach the executor.
 */
export interface ActionSpec {
  name: string;
  summary: string;
  schema: TSchema;
  platforms: readonly Platform[];
  phase: "plan" | "run";
  /** Step-level keys this action accepts besides the common fields, such as `creates`. */
  stepFields?: Readonly<Record<string, TSchema>>;
  /** Common step fields this action accepts; all of them when absent. */
  commonFields?: readonly string[];
  /** Payload fields holding paths, resolved against the directory of the declaring file. */
  pathFields?: readonly string[];
}
