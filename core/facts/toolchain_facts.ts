import { type FactGroup, warnUnlessMissing } from "./fact_group.ts";

/** Tool name -> the command that prints its version. */
export const TOOLCHAINS: Readonly<Record<string, readonly string[]>> = {
  docker: ["docker", "--version"],
  git: ["git", "--version"],
  python: ["python3", "--version"],
  go: ["go", "version"],
  node: ["node", "--version"],
  bun: ["bun", "--version"],
};

/** One group per tool, so reading `toolchains.git` runs git alone. */
export function toolchainGroup(tool: string): FactGroup {
  const argv = TOOLCHAINS[tool]!;
  return {
    name: `toolchains.${tool}`,
    probes: () => [{ argv }],
    compute(input) {
      const [result] = input.results;
      warnUnlessMissing(input, result, `toolchains.${tool}: ${argv.join(" ")}`);
      return result?.status === "ok" ? parseVersion(result.stdout) : "";
    },
  };
}

/** `Docker version 28.2.2, build e6534b4` -> 28.2.2, `go version go1.22.1 linux/amd64` -> 1.22.1, `v20.1.0` -> 20.1.0. */
export function parseVersion(text: string): string {
  return /(\d+\.\d+(?:\.\d+)?(?:[-+][\w.]+)*)/.exec(text)?.[1] ?? text.trim().split("\n")[0] ?? "";
}
