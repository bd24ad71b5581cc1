import { collector } from "./collector.ts";

/**
 * A value only a real run can tell: in a dry-run, what a step that did not run would have
 * registered. A member of it is unknown too. An expression that reads one throws
 * UnknownValueError; a template tag that reads one renders as KNOWN_AFTER_RUN.
 */
export class Unknown {
  constructor(
    /** The registered name. */
    readonly name: string,
    /** The step whose run would tell it. */
    readonly stepId: string,
  ) {}

  /** `pages, known after step-0002 runs` */
  describe(): string {
    return `${this.name}, known after ${this.stepId} runs`;
  }
}

/** How text shows a value that is unknown until the run (Terraform's "(known after apply)"). */
export const KNOWN_AFTER_RUN = "(known after run)";

/** An expression read an Unknown: its value, whatever it is, is only known after a run. */
export class UnknownValueError extends Error {
  override name = "UnknownValueError";
  constructor(
    readonly unknown: Unknown,
    readonly expression: string,
  ) {
    super(`${expression} reads ${unknown.describe()}`);
  }
}

const unknownValues = collector<Unknown>();

/** Records that the running evaluation read `value`, and returns it. */
export function readUnknown(value: Unknown): Unknown {
  unknownValues.note(value);
  return value;
}

/** Runs `work`, collecting every Unknown it read. */
export function trackUnknown<T>(work: () => T): { value: T; unknown: Unknown[] } {
  const { value, items } = unknownValues.track(work);
  return { value, unknown: items };
}
