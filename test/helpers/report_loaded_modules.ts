// Preloaded into a mooncake process by test/cli/startup_modules.test.ts (`bun --preload`): when
// the process exits, the path of every module it loaded is written, one a line, to the file
// named by MOONCAKE_LOADED_MODULES.
import { writeFileSync } from "node:fs";

process.on("exit", () => writeFileSync(process.env.MOONCAKE_LOADED_MODULES!, Object.keys(require.cache).join("\n")));
