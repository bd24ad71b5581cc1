import { Command, Option, UsageError } from "clipanion";
import * as t from "typanion";
import type { StoreEntry } from "../../artifacts/store/entry.ts";
import type { Policy } from "../../artifacts/store/policy.ts";
import { EXIT } from "../config_command.ts";

/** Options and plumbing shared by the `artifacts` verbs: the store root, the policy, the output format. */
export abstract class ArtifactsCommand extends Command {
  root = Option.String("--root", ".mooncake", { description: "The store: a mooncake artifacts directory or any artifact tree (default .mooncake)" });

  policyFile = Option.String("--policy", { description: "The policy file to use instead of <root>/artifacts.yaml" });

  format = Option.String("-f,--format", "text", {
    description: "Output format: text or json",
    validator: t.isEnum(["text", "json"] as const),
  });

  wait = Option.String("--wait", "0", {
    description: "When another command holds the store's lock, wait up to this many seconds for it (default 0: fail at once)",
    validator: t.isNumber(),
  });

  /**
   * Takes the store lock for a verb that changes the store, waiting as long as --wait says, then
   * finishes or rolls back what a killed command left (each repair said on stderr), rewriting
   * the manifest when it still lists entries gc had moved to the trash.
   */
  protected async lock(command: string): Promise<() => void> {
    const [{ acquireStoreLock }, { repairStore }, { loadPolicy }, { rescanAndWrite }] = await Promise.all([
      import("../../artifacts/store/store_lock.ts"),
      import("../../artifacts/store/repair_store.ts"),
      import("../../artifacts/store/policy.ts"),
      import("../../artifacts/store/scan_store.ts"),
    ]);
    const release = acquireStoreLock(this.root, command, Math.max(0, Number(this.wait)) * 1000);
    try {
      const repair = repairStore(this.root);
      for (const line of repair.done) this.context.stderr.write(`repaired: ${line}\n`);
      const policy = repair.manifestStale ? loadPolicy(this.root, this.policyFile).policy : undefined;
      if (policy) {
        await rescanAndWrite(this.root, policy, new Date());
        this.context.stderr.write("repaired: rewrote the manifest, which still listed entries gc had moved to the trash\n");
      }
    } catch (e) {
      release();
      throw e;
    }
    return release;
  }

  /** The verb's work; a StoreError it throws is printed as one line and exits 1, a UsageError exits 2. */
  protected abstract run(): Promise<number>;

  async execute(): Promise<number> {
    try {
      return await this.run();
    } catch (e) {
      const { StoreError } = await import("../../artifacts/store/store_error.ts");
      if (e instanceof StoreError) {
        this.context.stderr.write(`error: ${e.message}\n`);
        return EXIT.storeFailed;
      }
      if (e instanceof UsageError) {
        this.context.stderr.write(`error: ${e.message}\n`);
        return EXIT.invalidInput;
      }
      if ((e as NodeJS.ErrnoException).code) {
        const { describeFileError } = await import("../../artifacts/describe_file_error.ts");
        this.context.stderr.write(`error: ${describeFileError(e)}\n`);
        return EXIT.storeFailed;
      }
      throw e;
    }
  }

  /** The policy, or undefined after its diagnostics were printed (exit 2). Warnings are printed and the policy used. */
  async policy(): Promise<Policy | undefined> {
    const [{ loadPolicy }, { formatDiagnostic, hasErrors }] = await Promise.all([
      import("../../artifacts/store/policy.ts"),
      import("../../core/config/diagnostics.ts"),
    ]);
    const { policy, diagnostics } = loadPolicy(this.root, this.policyFile);
    for (const d of diagnostics) this.context.stderr.write(`${formatDiagnostic(d)}\n`);
    return hasErrors(diagnostics) ? undefined : policy;
  }

  /** The store's entries, only those of `family` when given; an unknown family is a usage error. */
  protected async entriesOf(policy: Policy, family: string | undefined): Promise<StoreEntry[]> {
    const { discoverEntries } = await import("../../artifacts/store/discover_entries.ts");
    const all = discoverEntries(this.root, policy);
    checkFamily(family, [...all.map((e) => e.family), ...policy.families.map((f) => f.name)]);
    return family === undefined ? all : all.filter((e) => e.family === family);
  }

  protected json(value: unknown): void {
    this.context.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Live progress on a terminal's stderr; nothing when stderr is not a terminal. */
  protected progress(text: string | null): void {
    if (!process.stderr.isTTY) return;
    process.stderr.write(text === null ? "\r\x1b[K" : `\r\x1b[K${text}`);
  }
}

/** Rejects a --family naming no family of the store, listing those it has. */
function checkFamily(family: string | undefined, families: Iterable<string>): void {
  if (family === undefined) return;
  const known = [...new Set(families)].sort();
  if (!known.includes(family)) {
    throw new UsageError(`Unknown family "${family}": the store has ${known.length ? known.map((f) => `"${f}"`).join(", ") : "no families"}`);
  }
}
