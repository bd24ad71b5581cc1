import { Type, type Static } from "@sinclair/typebox";
import { Path, Strict } from "../core/config/schema_types.ts";
import type { ActionSpec } from "../core/exec/action.ts";
import { toolBehaviour, toolInstallFields, type Tool } from "./tool_install.ts";

const MicromambaArgs = Strict({
  ...toolInstallFields,
  root_prefix: Type.Optional(Path),
  envs_dir: Type.Optional(Path),
  config_file: Type.Optional(Type.String({ minLength: 1, description: "The system-wide rc file, where root_prefix and envs_dir are written (default /etc/conda/.mambarc)" })),
});
type MicromambaArgs = Static<typeof MicromambaArgs>;

const PLATFORMS: Record<string, string> = { "linux/amd64": "linux-64", "linux/arm64": "linux-aarch64", "darwin/amd64": "osx-64", "darwin/arm64": "osx-arm64" };

const MICROMAMBA: Tool = {
  name: "micromamba",
  binaries: ["micromamba"],
  versionArgs: ["--version"],
  releaseUrl: (version, os, arch) => `https://micro.mamba.pm/api/micromamba/${PLATFORMS[`${os}/${arch}`] ?? `${os}-${arch}`}/${version ?? "latest"}`,
};

function rcText(args: MicromambaArgs): string | undefined {
  const lines = [
    ...(args.root_prefix ? [`root_prefix: ${JSON.stringify(args.root_prefix)}`] : []),
    ...(args.envs_dir ? ["envs_dirs:", `  - ${JSON.stringify(args.envs_dir)}`] : []),
  ];
  return lines.length ? `# Written by mooncake (micromamba: root_prefix, envs_dir)\n${lines.join("\n")}\n` : undefined;
}

export const micromamba: ActionSpec<MicromambaArgs> = {
  name: "micromamba",
  summary: "Install micromamba (conda environments without Python) from a release or a local file",
  schema: MicromambaArgs,
  platforms: ["linux", "darwin"],
  phase: "run",
  pathFields: ["source", "bin_dir", "root_prefix", "envs_dir", "config_file"],
  ...toolBehaviour<MicromambaArgs>(MICROMAMBA, (args) => {
    const text = rcText(args);
    return text === undefined ? undefined : { dest: args.config_file ?? "/etc/conda/.mambarc", text };
  }),
};
