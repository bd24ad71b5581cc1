import { EXIT } from "../config_command.ts";
import type { ArtifactsCommand } from "./artifacts_command.ts";

/** Pins or unpins the entry `id` names, and says so. */
export async function pinEntry(command: ArtifactsCommand, id: string, pinned: boolean): Promise<number> {
  const policy = await command.policy();
  if (!policy) return EXIT.invalidInput;
  const [{ discoverEntries }, { findEntry }, { setPinned }, { ruleFor }] = await Promise.all([
    import("../../artifacts/store/discover_entries.ts"),
    import("../../artifacts/store/find_entry.ts"),
    import("../../artifacts/store/pins.ts"),
    import("../../artifacts/store/policy.ts"),
  ]);
  const entry = findEntry(discoverEntries(command.root, policy), id);
  const changed = setPinned(command.root, entry.id, pinned, new Date());
  const byPolicy = ruleFor(policy, entry.family).pin.includes(entry.id);
  let message = `${pinned ? "Pinned" : "Unpinned"} ${entry.id}${changed ? "" : ` (it already was ${pinned ? "pinned" : "unpinned"})`}`;
  if (!pinned && byPolicy) message += `; it stays pinned by ${policy.source}`;
  if (command.format === "json") command.context.stdout.write(`${JSON.stringify({ id: entry.id, pinned: pinned || byPolicy, changed }, null, 2)}\n`);
  else command.context.stdout.write(`${message}\n`);
  return EXIT.ok;
}
