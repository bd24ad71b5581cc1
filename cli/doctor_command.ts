import { Option } from "clipanion";
import type { CheckResult } from "../core/doctor/environment_checks.ts";
import { ConfigCommand, EXIT } from "./config_command.ts";
import { textOrJsonFormat } from "./format_option.ts";

export class DoctorCommand extends ConfigCommand {
  static override paths = [["doctor"]];

  static override usage = ConfigCommand.Usage({
    description: "Check that this machine can run mooncake configs",
    details: `
      One row per check, ok, warn or fail, with how to fix what is not ok: platform, the
      artifacts directory (writable, free space), sudo (and whether it needs a password), the
      service manager, shells, rsync/tar/git/curl, nvidia-smi and the GPUs, driver and CUDA it
      reports, and how long the fact probes take. With \`--config\`, also whether the config
      is valid. It changes nothing.

      Exit codes: 0 when nothing fails (warnings allowed), 1 when a check fails.
    `,
    examples: [
      ["Check the machine", "$0 doctor"],
      ["Also validate a config, as JSON", "$0 doctor --config site.yml --format json"],
    ],
  });

  config = Option.String("-c,--config", { description: "Also check that this config is valid" });

  artifactsDir = Option.String("--artifacts-dir", ".mooncake", { description: "The artifacts directory runs would write to (default .mooncake)" });

  format = textOrJsonFormat();

  async execute(): Promise<number> {
    const [{ environmentChecks }, { machineFacts }] = await Promise.all([
      import("../core/doctor/environment_checks.ts"),
      import("../core/facts/machine_facts.ts"),
    ]);
    const checks = await environmentChecks({ facts: machineFacts(), artifactsDir: this.artifactsDir, path: process.env.PATH ?? "" });
    const config = this.configFile;
    if (config !== undefined) checks.push(await this.configCheck(config));
    const failed = checks.some((c) => c.status === "fail");
    if (this.format === "json") this.context.stdout.write(`${JSON.stringify({ ok: !failed, checks }, null, 2)}\n`);
    else this.context.stdout.write(formatChecks(checks));
    return failed ? 1 : EXIT.ok;
  }

  private async configCheck(path: string): Promise<CheckResult> {
    const { hasErrors, formatDiagnostic } = await import("../core/config/diagnostics.ts");
    const result = await this.compile();
    if (!hasErrors(result.diagnostics)) return { name: "config", status: "ok", detail: `${path} is valid (${result.plan?.steps.length ?? 0} steps)` };
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    return { name: "config", status: "fail", detail: `${errors.length} error${errors.length > 1 ? "s" : ""}: ${formatDiagnostic(errors[0]!)}`, fix: `run mooncake validate --config ${path}` };
  }
}

function formatChecks(checks: readonly CheckResult[]): string {
  const width = Math.max(...checks.map((c) => c.name.length));
  const lines = checks.map((c) => `${c.status.padEnd(4)}  ${c.name.padEnd(width)}  ${c.detail}${c.fix && c.status !== "ok" ? `\n${" ".repeat(width + 8)}fix: ${c.fix}` : ""}`);
  return `${lines.join("\n")}\n`;
}
