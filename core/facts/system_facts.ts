import { release } from "node:os";
import { basicFacts, parseOsRelease, readIfExists } from "./basic_facts.ts";
import type { FactGroup } from "./fact_group.ts";

export interface SystemFacts {
  os: string;
  /** The distribution's own name, such as "Debian GNU/Linux 12 (bookworm)". */
  name: string;
  distribution: string;
  version: string;
  kernel: string;
  arch: string;
}

/**
 * The operating system group. It is named `system` because `os` is the flat string configs
 * compare (`os == "linux"`), which a group cannot also be.
 */
export const systemGroup: FactGroup = {
  name: "system",
  probes: () => [],
  compute(): SystemFacts {
    const basic = basicFacts();
    const pretty = basic.os === "linux" ? parseOsRelease(readIfExists("/etc/os-release") ?? "").PRETTY_NAME : undefined;
    return {
      os: basic.os,
      name: pretty ?? `${basic.distribution} ${basic.distribution_version}`.trim(),
      distribution: basic.distribution,
      version: basic.distribution_version,
      kernel: release(),
      arch: basic.arch,
    };
  },
};
