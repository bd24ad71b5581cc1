import { Command, Option, type CommandClass } from "clipanion";
import { EXIT } from "./config_command.ts";

/**
 * A command group named alone or with --help (`mooncake runs`, `mooncake artifacts trash
 * --help`): prints the commands under it. Its usage text is that list (MooncakeCli.usage).
 */
export abstract class GroupCommand extends Command {
  static group: readonly string[] = [];

  async execute(): Promise<number> {
    this.context.stdout.write(this.cli.usage(this));
    return EXIT.ok;
  }
}

/** The group of `command` (a class or an instance), or undefined when it is not a group. */
export function groupOf(command: unknown): readonly string[] | undefined {
  const commandClass = command instanceof Command ? command.constructor : command;
  return typeof commandClass === "function" && commandClass.prototype instanceof GroupCommand ? (commandClass as typeof GroupCommand).group : undefined;
}

function group(path: string[]): CommandClass {
  return class extends GroupCommand {
    static override group = path;
    static override paths = [path];
  };
}

export const GROUPS = [group(["runs"]), group(["artifacts"]), group(["artifacts", "trash"]), group(["actions"])];

/** `mooncake help [COMMAND...]`: every command, or the help of one command or group. */
export class HelpCommand extends Command {
  static override paths = [["help"]];

  words = Option.Rest({ name: "COMMAND" });

  async execute(): Promise<number> {
    if (this.words.length === 0) {
      this.context.stdout.write(this.cli.usage());
      return EXIT.ok;
    }
    return (await this.cli.run([...this.words, "--help"])) === 0 ? EXIT.ok : EXIT.invalidInput;
  }
}
