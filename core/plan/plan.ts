/** The plan: what `mooncake plan` prints and `mooncake run --from-plan` executes. */

export const PLAN_SCHEMA_VERSION = 1;

export interface SourcePosition {
  file: string;
  line: number;
  col: number;
}

export interface Origin extends SourcePosition {
  /** The include steps that led here, outermost first. */
  include_stack: SourcePosition[];
}

export interface LoopVars {
  item: unknown;
  index: number;
  first: boolean;
  last: boolean;
}

export interface SkipMark {
  reason: "tags" | "empty_loop";
  message: string;
}

/** Step fields the executor needs as they were written (or rendered, where known at plan time). */
export const RUNTIME_FIELDS = [
  "become_user", "env", "cwd", "register", "timeout", "retries", "retry_delay",
  "changed_when", "failed_when", "ignore_errors", "creates", "unless",
] as const;

export interface PlanStep {
  id: string;
  name: string;
  action: string;
  args: unknown;
  when?: string;
  tags: string[];
  become: boolean;
  skipped?: SkipMark;
  /** Loop variables of an item expanded at plan time. */
  loop?: LoopVars;
  /** A `with_items` whose list is only known at run time; the step expands when it runs. */
  deferred_with_items?: string;
  become_user?: string;
  env?: Record<string, unknown>;
  cwd?: string;
  register?: string;
  timeout?: string;
  retries?: number;
  retry_delay?: string;
  changed_when?: string;
  failed_when?: string;
  ignore_errors?: boolean;
  creates?: string;
  unless?: string;
  origin: Origin;
}

export interface PlanSource {
  file: string;
  sha256: string;
}

export interface Plan {
  schema_version: number;
  generated_at: string;
  root_file: string;
  /** Every file the plan was compiled from, with its hash, so a stale saved plan is detected. */
  sources: PlanSource[];
  tags: string[];
  initial_vars: Record<string, unknown>;
  steps: PlanStep[];
}
