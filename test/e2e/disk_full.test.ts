import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { BINARY } from "../helpers/run_binary.ts";
import { sandbox } from "../helpers/converge.ts";

const canMount = process.platform === "linux" && process.getuid?.() === 0 && Bun.spawnSync(["unshare", "--mount", "true"]).exitCode === 0;
const BIG = new Uint8Array(3 * 1024 * 1024).fill(7);
let server: ReturnType<typeof Bun.serve>;

beforeAll(() => {
  server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response(BIG) });
});
afterAll(() => server.stop(true));

/**
 * Runs `command` (by default `mooncake run` on `yaml`) with `full/` a 1 MiB tmpfs in a private mount namespace
 * holding `old.bin`, then lists what the tmpfs holds and prints old.bin, before the mount goes.
 */
async function runOnFullDisk(yaml: string, command = `${BINARY} run -c site.yml --raw --no-artifacts`): Promise<{ exitCode: string; stdout: string; listing: string; old: string; dir: string }> {
  const tmp = sandbox({ "site.yml": yaml, "src.bin": BIG });
  writeFileSync(tmp.path("full"), "");
  const script = [
    "set -e",
    "rm full && mkdir full && mount -t tmpfs -o size=1m tmpfs full",
    "printf 'old content' > full/old.bin",
    "set +e",
    `${command} > out.txt 2>&1; echo "exit=$?"`,
    "ls -A full | tr '\\n' ' '; echo",
    "cat full/old.bin; echo",
    "cat out.txt",
  ].join("\n");
  // Asynchronous: the server answering the download lives in this process.
  const child = Bun.spawn(["unshare", "--mount", "sh", "-c", script], { cwd: tmp.dir, stdout: "pipe", stderr: "pipe" });
  const [exitCode = "", listing = "", old = "", ...rest] = (await new Response(child.stdout).text()).split("\n");
  await child.exited;
  return { exitCode, listing: listing.trim(), old, stdout: rest.join("\n"), dir: tmp.dir };
}

describe.skipIf(!canMount)("a full disk (1 MiB tmpfs in a private mount namespace)", () => {
  test("download fails naming dest, leaves the old file and no temporary file", async () => {
    const url = `http://127.0.0.1:${server.port}/big`;
    const run = await runOnFullDisk(`- download: { url: "${url}", dest: full/old.bin, force: true, retries: 0 }\n`);
    expect(run.exitCode).toBe("exit=3");
    expect(run.stdout).toContain(`Cannot download "${url}" to "${run.dir}/full/old.bin": no space left on device`);
    expect(run.listing).toBe("old.bin");
    expect(run.old).toBe("old content");
  }, 60_000);

  test("copy fails naming dest, leaves the old file and no temporary file", async () => {
    const run = await runOnFullDisk("- copy: { src: src.bin, dest: full/old.bin }\n");
    expect(run.exitCode).toBe("exit=3");
    expect(run.stdout).toContain(`Cannot write file "${run.dir}/full/old.bin": no space left on device`);
    expect(run.listing).toBe("old.bin");
    expect(run.old).toBe("old content");
  }, 60_000);

  test("writeFileAtomic (run artifacts, saved plans) fails with ENOSPC, leaves the old file and no temporary file", async () => {
    const module = join(import.meta.dir, "..", "..", "core", "fs", "write_file_atomic.ts");
    const script = `import { writeFileAtomic } from ${JSON.stringify(module)}; try { writeFileAtomic("full/old.bin", new Uint8Array(3 << 20)); } catch (e) { console.log(e.code); }`;
    const run = await runOnFullDisk("", `${process.execPath} -e '${script}'`);
    expect(run.exitCode).toBe("exit=0");
    expect(run.stdout.trim()).toBe("ENOSPC");
    expect(run.listing).toBe("old.bin");
    expect(run.old).toBe("old content");
  }, 60_000);
});
if (!canMount) test.skip("a full disk: needs root and unshare --mount", () => {});
