import { Option } from "clipanion";
import type { Plan } from "../core/plan/plan.ts";
import type { SudoAuth } from "../core/security/become.ts";
import { ConfigCommand } from "./config_command.ts";

/** The sudo password options of the commands that run steps or their checks: run and explain. */
export abstract class BecomeCommand extends ConfigCommand {
  askBecomePass = Option.Boolean("-K,--ask-become-pass", false, { description: "Ask for the sudo password (without echo)" });

  sudoPassFile = Option.String("--sudo-pass-file", { description: "Read the sudo password from this file, which must have mode 0600" });

  sudoPass = Option.String("--sudo-pass", { description: "The sudo password itself (needs --insecure-sudo-pass: other users can see it)" });

  insecureSudoPass = Option.Boolean("--insecure-sudo-pass", false, { description: "Accept --sudo-pass despite the risk" });

  /**
   * How sudo authenticates, from the options. -K asks only when a step of `plan` will run through
   * sudo: in a dry-run, only `dry_run: run` probes do. Undefined (the error printed) when a source fails.
   */
  protected async sudoAuth(plan: Plan, dryRun: boolean): Promise<SudoAuth | undefined> {
    const { resolveSudoAuth, SudoPasswordError } = await import("../core/security/sudo_password.ts");
    const needsPassword = plan.steps.some((s) => s.become && !s.skipped && (!dryRun || s.dry_run === "run"));
    try {
      return await resolveSudoAuth({
        askBecomePass: this.askBecomePass && needsPassword,
        insecureSudoPass: this.insecureSudoPass,
        ...(this.sudoPassFile !== undefined ? { sudoPassFile: this.sudoPassFile } : {}),
        ...(this.sudoPass !== undefined ? { sudoPass: this.sudoPass } : {}),
        ...(process.env.SUDO_ASKPASS ? { askpass: process.env.SUDO_ASKPASS } : {}),
      }, async () => (await import("../core/security/prompt_password.ts")).promptPassword("sudo password: "));
    } catch (e) {
      if (!(e instanceof SudoPasswordError)) throw e;
      this.context.stderr.write(`error: ${e.message}\n`);
      return undefined;
    }
  }
}
