import { Type, type Static } from "@sinclair/typebox";
import { readFileSync, statSync } from "node:fs";
import { AnyMap, Flag, Path, Strict } from "../core/config/schema_types.ts";
import { withLoopVars } from "../core/plan/variable_layers.ts";
import { parseTemplate } from "../core/template/parse_template.ts";
import { ActionError, ALL_PLATFORMS, type ActionSpec } from "../core/exec/action.ts";
import { fsBehaviour, fsFailure, fsTry, inputTry, type Decide } from "./fs_action.ts";
import { ownershipFields, wantedAttributes } from "./ownership_fields.ts";
import { decideContent } from "./write_content.ts";

const TemplateArgs = Strict({
  src: Path,
  dest: Path,
  vars: Type.Optional(AnyMap),
  ...ownershipFields,
  backup: Type.Optional(Flag("Keep the previous dest as <dest>.<time>~ before replacing it")),
  newline: Type.Optional(Type.Union([Type.Literal("lf"), Type.Literal("crlf")], { description: "Line endings of the written file (default: as rendered)" })),
});
type TemplateArgs = Static<typeof TemplateArgs>;

/** A template is rendered in memory: larger sources are refused rather than read. */
const MAX_TEMPLATE_BYTES = 64 * 1024 * 1024;

/** Renders src when the step runs (with `vars` over the run's variables) and writes it like `file` with content. */
const decide: Decide<TemplateArgs> = async (ctx, args) => {
  const stat = inputTry("read template", args.src, () => statSync(args.src));
  if (!stat.isFile()) throw fsFailure("read template", args.src, new Error("it is not a regular file"));
  if (stat.size > MAX_TEMPLATE_BYTES) throw fsFailure("read template", args.src, new Error(`it is ${stat.size} bytes, more than the ${MAX_TEMPLATE_BYTES / 1024 / 1024} MiB a template may have`));
  const source = fsTry("read template", args.src, () => readFileSync(args.src, "utf8"));
  let text: string;
  try {
    text = parseTemplate(source).render(args.vars ? withLoopVars(ctx.vars, args.vars) : ctx.vars);
  } catch (e) {
    throw new ActionError("template", `Cannot render "${args.src}": ${e instanceof Error ? e.message : String(e)}`);
  }
  if (args.newline === "lf") text = text.replace(/\r\n/g, "\n");
  if (args.newline === "crlf") text = text.replace(/\r?\n/g, "\r\n");
  return decideContent(ctx, {
    dest: args.dest,
    content: { bytes: Buffer.from(text) },
    wanted: wantedAttributes(args),
    ...(args.backup ? { backup: true } : {}),
    follow: args.follow ?? false,
  });
};

export const template: ActionSpec<TemplateArgs> = {
  name: "template",
  summary: "Render a mustache template file to a destination, atomically",
  schema: TemplateArgs,
  platforms: ALL_PLATFORMS,
  phase: "run",
  pathFields: ["src", "dest"],
  touches: (args) => [{ kind: "write", path: args.dest, follow: args.follow === true }],
  templateFields: ["src"],
  ...fsBehaviour(decide),
};
