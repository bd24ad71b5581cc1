import { Builtins, Cli, type BaseContext, type Command } from "clipanion";
import { handleClosedStdout } from "./closed_stdout.ts";
import { commandsFor, COMMANDS } from "./commands.ts";
import { EXIT } from "./config_command.ts";
import { GROUPS, HelpCommand } from "./group_command.ts";
import { MooncakeCli } from "./mooncake_cli.ts";
import { isTerminal, SyncWriter } from "./stdio.ts";

export { MooncakeCli };

/**
 * Parses `argv`, runs the command it names and sets the exit code. Usage mistakes (unknown
 * command or option, missing argument, a value of the wrong kind) print to stderr and exit 2,
 * as every other invalid input does.
 */
export async function runCli(argv: string[], version: string): Promise<void> {
  const stdoutIsTerminal = isTerminal(1);
  const colored = stdoutIsTerminal && !process.env.NO_COLOR;
  const cli = new MooncakeCli({
    binaryLabel: "mooncake — provision a machine from a YAML description",
    binaryName: "mooncake",
    binaryVersion: version,
    enableColors: colored,
  });
  for (const command of [Builtins.HelpCommand, Builtins.VersionCommand, HelpCommand, ...GROUPS, ...(await commandsFor(argv))]) cli.register(command);
  const context = commandContext(colored, stdoutIsTerminal);
  handleClosedStdout(context.stdout as NodeJS.WriteStream);
  process.exitCode = await execute(cli, argv.length ? argv : ["help"], colored, context);
}

/** process.stdin behind a stand-in that creates it only when a command reads it. */
const lazyStdin = new Proxy({} as NodeJS.ReadStream, {
  get(_, key) {
    const value = Reflect.get(process.stdin, key);
    return typeof value === "function" ? value.bind(process.stdin) : value;
  },
});

/**
 * The context every command runs with, made clipanion's default too, so that the three Node
 * streams Bun creates on first use are created only if something reads them. Output goes
 * through SyncWriter, except standard output on a terminal: the live display reads its width
 * from Bun's own stream.
 */
function commandContext(colored: boolean, stdoutIsTerminal: boolean): BaseContext {
  const stdout = stdoutIsTerminal ? process.stdout : new SyncWriter(1);
  const context = { env: process.env, stdin: lazyStdin, stdout, stderr: new SyncWriter(2), colorDepth: colored ? 8 : 1 };
  Cli.defaultContext = context as unknown as typeof Cli.defaultContext;
  return context as unknown as BaseContext;
}

async function execute(cli: MooncakeCli, argv: string[], colored: boolean, context: BaseContext): Promise<number> {
  let command: Command;
  try {
    command = cli.process(argv, context);
  } catch (error) {
    context.stderr.write(unknownCommand(argv) ?? cli.error(error, { colored }));
    return EXIT.invalidInput;
  }
  let failed: number | undefined;
  command.catch = async (error: unknown) => {
    context.stderr.write(cli.error(error, { colored, command }));
    failed = isUsageError(error) ? EXIT.invalidInput : cli.crashExitCode ?? 1;
  };
  const code = await cli.run(command, context);
  return failed ?? code;
}

/** A first word no command has: one short line instead of clipanion's list of every command. */
function unknownCommand(argv: readonly string[]): string | undefined {
  const word = argv[0]!;
  if (word.startsWith("-") || COMMANDS.some((c) => c.path[0] === word) || word === "help") return undefined;
  return `Unknown command "${word}": \`mooncake help\` lists the commands\n`;
}

function isUsageError(error: unknown): boolean {
  return (error as { clipanion?: { type?: string } } | null)?.clipanion?.type === "usage";
}
