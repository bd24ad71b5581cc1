// mooncake runs as root in directories other users can write: the Bun runtime inside the binary
// must not read a bunfig.toml (whose `preload` runs code) or a .env (whose variables reach every
// step's processes) from the directory it runs in.
import { expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { runBinary } from "../helpers/run_binary.ts";
import { tempDirPerTest } from "../helpers/temp_dir.ts";

const scratch = tempDirPerTest();

test("a bunfig.toml and a .env in the working directory are not read by the binary", () => {
  const tmp = scratch({
    "bunfig.toml": 'preload = ["./planted.js"]\n',
    "planted.js": 'require("node:fs").writeFileSync("planted-ran", "");\n',
    ".env": "PLANTED_VARIABLE=from-dotenv\nLD_PRELOAD=/nonexistent/planted.so\n",
    "site.yml": '- shell: echo "[$PLANTED_VARIABLE] [$LD_PRELOAD]" > seen.txt\n',
  });
  const result = runBinary(["run", "--no-artifacts", "site.yml"], { cwd: tmp.dir });
  expect(result.exitCode).toBe(0);
  expect(existsSync(tmp.path("planted-ran"))).toBe(false);
  expect(readFileSync(tmp.path("seen.txt"), "utf8")).toBe("[] []\n");
});
