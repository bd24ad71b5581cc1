import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { EventBus } from "../../../core/events/event_bus.ts";
import type { RunEvent } from "../../../core/events/event.ts";
import { configBundle, bundleTar } from "../../../core/fleet/config_bundle.ts";
import { hostInputFor } from "../../../core/fleet/host_input.ts";
import type { InventoryHost } from "../../../core/fleet/inventory.ts";
import { BinaryCatalog } from "../../../core/fleet/mooncake_binary.ts";
import { runFleet } from "../../../core/fleet/run_fleet.ts";
import { compilePlan } from "../../../core/plan/compile_plan.ts";
import { Redactor } from "../../../core/security/redactor.ts";
import { ACTIONS } from "../../../actions/registry.ts";
import { fleetHostsUnavailable, startFleetHosts, type FleetHosts } from "../../helpers/fleet_hosts.ts";
import { BINARY } from "../../helpers/run_binary.ts";
import { tempDirPerTest } from "../../helpers/temp_dir.ts";
import { FIXED_FACTS } from "../../helpers/fixed_facts.ts";

const tempDir = tempDirPerTest();

describe.skipIf(fleetHostsUnavailable !== undefined)("runFleet over real sshd hosts", () => {
  let fleet: FleetHosts;
  beforeAll(() => {
    fleet = startFleetHosts(2);
  }, 60_000);
  afterAll(() => fleet?.down(), 60_000);

  test("each host runs the config with its own vars; its events come back tagged; its run directory comes home", async () => {
    const tmp = tempDir({
      "site.yml": 'steps:\n  - name: greet\n    shell: echo "hello from {{ inventory_hostname }}" > /root/greeting\n',
    });
    const { plan, diagnostics } = compilePlan({ configPath: tmp.path("site.yml"), actions: ACTIONS, facts: FIXED_FACTS, hostVars: { inventory_hostname: "any" } });
    expect(diagnostics).toEqual([]);
    const files = configBundle([plan!]);
    const hosts: InventoryHost[] = fleet.hosts.map((h) => ({ name: h.name, address: h.address, groups: [], vars: { inventory_hostname: h.name, group_names: [] } }));
    const events: RunEvent[] = [];
    const bus = new EventBus("fleet-test", new Redactor([]), [(e) => events.push(e)]);
    const result = await runFleet({
      hosts,
      rootFile: plan!.root_file,
      dryRun: false,
      forks: 2,
      bundle: { rootFile: files.rootFile, tar: await bundleTar(files), files: files.files.size },
      binaries: new BinaryCatalog({ path: BINARY, target: `linux-${process.arch}` }),
      runArgs: [],
      inputFor: (host) => hostInputFor(host, { userVars: {}, secretVars: {} }),
      artifactsDir: tmp.path(".mooncake"),
      sshConfig: fleet.sshConfig,
      bus,
      signal: new AbortController().signal,
    });
    expect(result.status).toBe("ok");
    for (const h of fleet.hosts) {
      expect(readFileSync(join(h.home, "greeting"), "utf8")).toBe(`hello from ${h.name}\n`);
      const outcome = result.outcomes.get(h.name)!;
      expect(outcome.counts?.changed).toBe(1);
      expect(existsSync(join(tmp.path(".mooncake"), "hosts", h.name, "runs", outcome.runId!, "summary.json"))).toBe(true);
      expect(events.some((e) => e.host === h.name && e.type === "step.finished" && e.data.status === "changed")).toBe(true);
      expect(readdirSync(h.tmp)).toEqual([]);
    }
  }, 120_000);
});
