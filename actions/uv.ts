import { Type, type Static } from "@sinclair/typebox";
import { Path, Strict } from "../core/config/schema_types.ts";
import type { ActionSpec } from "../core/exec/action.ts";
import { machineName, toolBehaviour, toolInstallFields, type Tool } from "./tool_install.ts";

const UvArgs = Strict({
  ...toolInstallFields,
  cache_dir: Type.Optional(Path),
  config_file: Type.Optional(Type.String({ minLength: 1, description: "uv's system-wide config, where cache_dir is written (default /etc/uv/uv.toml)" })),
});
type UvArgs = Static<typeof UvArgs>;

const UV: Tool = {
  name: "uv",
  binaries: ["uv", "uvx"],
  versionArgs: ["--version"],
  releaseUrl: (version, os, arch) => {
    const triple = `${machineName(arch)}-${os === "darwin" ? "apple-darwin" : "unknown-linux-gnu"}`;
    const release = version ? `download/${version.replace(/^v/, "")}` : "latest/download";
    return `https://github.com/astral-sh/uv/releases/${release}/uv-${triple}.tar.gz`;
  },
};

export const uv: ActionSpec<UvArgs> = {
  name: "uv",
  summary: "Install uv (Astral's Python package manager) from a release or a local file",
  schema: UvArgs,
  platforms: ["linux", "darwin"],
  phase: "run",
  pathFields: ["source", "bin_dir", "cache_dir", "config_file"],
  ...toolBehaviour<UvArgs>(UV, (args) =>
    args.cache_dir === undefined ? undefined : {
      dest: args.config_file ?? "/etc/uv/uv.toml",
      text: `# Written by mooncake (uv: cache_dir)\ncache-dir = ${JSON.stringify(args.cache_dir)}\n`,
    }),
};
