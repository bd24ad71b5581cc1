import type { BunPlugin } from "bun";

// clipanion creates process.stdin, process.stdout and process.stderr when it loads (its default
// context) and loads node:tty for a colour depth: in Bun each of these loads Node's stream
// machinery, a large part of the start of a short command. This plugin defers both to their
// first use; cli/run_cli.ts then sets a default context of its own, so they never happen.
// Each replacement must match exactly once: a clipanion version that differs fails the build.
const PATCHES: readonly { file: RegExp; from: string; to: string }[] = [
  {
    file: /clipanion[\\/]lib[\\/]platform[\\/]node\.js$/,
    from: "var tty = require('tty');\n",
    to: "",
  },
  {
    file: /clipanion[\\/]lib[\\/]platform[\\/]node\.js$/,
    from: "var tty__default = /*#__PURE__*/_interopDefaultLegacy(tty);",
    to: "var tty__default = { get default() { return require('tty'); } };",
  },
  {
    file: /clipanion[\\/]lib[\\/]advanced[\\/]Cli\.js$/,
    from: "Cli.defaultContext = {\n    env: process.env,\n    stdin: process.stdin,\n    stdout: process.stdout,\n    stderr: process.stderr,\n    colorDepth: platform.getDefaultColorDepth(),\n};",
    to: "let defaultContext;\nObject.defineProperty(Cli, 'defaultContext', {\n    get: () => defaultContext !== null && defaultContext !== void 0 ? defaultContext : (defaultContext = {\n        env: process.env,\n        stdin: process.stdin,\n        stdout: process.stdout,\n        stderr: process.stderr,\n        colorDepth: platform.getDefaultColorDepth(),\n    }),\n    set: (context) => { defaultContext = context; },\n});",
  },
];

export const lazyClipanionStdio: BunPlugin = {
  name: "lazy-clipanion-stdio",
  setup(build) {
    build.onLoad({ filter: /clipanion[\\/]lib[\\/](platform[\\/]node|advanced[\\/]Cli)\.js$/ }, async ({ path }) => {
      let contents = await Bun.file(path).text();
      for (const patch of PATCHES.filter((p) => p.file.test(path))) {
        if (contents.split(patch.from).length !== 2) throw new Error(`${path}: cannot defer clipanion's standard streams: ${JSON.stringify(patch.from)} is not there once`);
        contents = contents.replace(patch.from, patch.to);
      }
      return { contents, loader: "js" };
    });
  },
};
