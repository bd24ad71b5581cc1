import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { fakeProgram } from "../helpers/fake_program.ts";
import { fakeSudo } from "../helpers/fake_sudo.ts";
import { BINARY, runBinary } from "../helpers/run_binary.ts";
import { tempDirPerTest } from "../helpers/temp_dir.ts";

const site = tempDirPerTest();

const SECRET = "SENTINEL-argv-9d3f";
const isRoot = process.getuid?.() === 0;

/** Every process's command line on the machine that holds `text`. */
function commandLinesHolding(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
      if (argv.includes(text)) found.push(`${pid}: ${argv}`);
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/**
 * Runs a config whose step writes `step.pid`, then waits for a `go` file: while it waits, every
 * command line on the machine is read. Returns those holding the secret, and the run's exit code.
 */
async function commandLinesDuringStep(dir: string, path: string): Promise<{ exposed: string[]; exitCode: number }> {
  const child = Bun.spawn([BINARY, "run", "-c", "site.yml", "--secret-vars", "secrets.yml", "--raw"], {
    cwd: dir, env: { PATH: path, HOME: dir }, stdout: "ignore", stderr: "ignore",
  });
  while (!existsSync(`${dir}/step.pid`) && child.exitCode === null) await Bun.sleep(20);
  const exposed = commandLinesHolding(SECRET);
  writeFileSync(`${dir}/go`, "");
  return { exposed, exitCode: await child.exited };
}

const WAIT_FOR_GO = "echo $$ > step.pid; while [ ! -e go ]; do sleep 0.05; done";

describe("no secret value appears in a process's command line", () => {
  test("a shell step whose script uses a secret gets it through stdin, and still reads its own stdin", async () => {
    const tmp = site({
      "secrets.yml": `db_password: ${SECRET}\n`,
      "site.yml": `- shell:\n    cmd: '${WAIT_FOR_GO}; echo "{{ db_password }}" > seen; cat > fed'\n    stdin: "fed to the step"\n`,
    });
    const { exposed, exitCode } = await commandLinesDuringStep(tmp.dir, process.env.PATH ?? "");
    expect(exposed).toEqual([]);
    expect(exitCode).toBe(0);
    expect(readFileSync(tmp.path("seen"), "utf8")).toBe(`${SECRET}\n`);
    expect(readFileSync(tmp.path("fed"), "utf8")).toBe("fed to the step");
  });

  test("become with a secret in env passes it by name (--preserve-env), never as env K=V", async () => {
    const tmp = site({
      "secrets.yml": `db_password: ${SECRET}\n`,
      "site.yml": `- shell: '${WAIT_FOR_GO}; echo "$DB_PASS" > seen'\n  become: true\n  become_user: app\n  env: { DB_PASS: "{{ db_password }}" }\n`,
    });
    const { exposed, exitCode } = await commandLinesDuringStep(tmp.dir, fakeSudo(tmp.dir));
    expect(exposed).toEqual([]);
    expect(exitCode).toBe(0);
    expect(readFileSync(tmp.path("sudo.argv"), "utf8")).toBe(`-n -u app --preserve-env=DB_PASS -- bash -c ${WAIT_FOR_GO}; echo "$DB_PASS" > seen\n`);
    expect(readFileSync(tmp.path("seen"), "utf8")).toBe(`${SECRET}\n`);
  });

  test("a command whose argv would hold a secret is refused before it starts", () => {
    const tmp = site({ "secrets.yml": `token: ${SECRET}\n`, "site.yml": "- command: { argv: [touch, 'ran-{{ token }}'] }\n" });
    const result = runBinary(["run", "-c", "site.yml", "--secret-vars", "secrets.yml"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toContain('A secret would be visible to every local user on the command line of "touch"');
    expect(readdirSync(tmp.dir).filter((name) => name.startsWith("ran-"))).toEqual([]);
  });
});

describe("become without sudo where none is needed", () => {
  /** A PATH of the fakes in `dir/bin` and the few real tools the steps use, so no real sudo is found. */
  function isolatedPath(dir: string): string {
    mkdirSync(`${dir}/tools`, { recursive: true });
    for (const tool of ["bash", "sh", "id", "cat"]) symlinkSync(Bun.which(tool)!, `${dir}/tools/${tool}`);
    return `${dir}/bin:${dir}/tools`;
  }

  test("become_user naming the user mooncake runs as runs the step directly", () => {
    const self = Bun.spawnSync(["id", "-un"]).stdout.toString().trim();
    const tmp = site({ "site.yml": `- shell: id -u > uid.txt\n  become: true\n  become_user: ${self}\n` });
    const result = runBinary(["run", "-c", "site.yml"], { cwd: tmp.dir, env: { PATH: isolatedPath(tmp.dir) } });
    expect(result.exitCode).toBe(0);
    expect(readFileSync(tmp.path("uid.txt"), "utf8")).toBe(`${process.getuid?.()}\n`);
  });

  test.skipIf(!isRoot)("as root, become: true runs the step directly, with no sudo on the machine", () => {
    const tmp = site({ "site.yml": "- shell: id -u > uid.txt\n  become: true\n" });
    const result = runBinary(["run", "-c", "site.yml"], { cwd: tmp.dir, env: { PATH: isolatedPath(tmp.dir) } });
    expect(result.stdout).not.toContain("Command not found");
    expect(result.exitCode).toBe(0);
    expect(readFileSync(tmp.path("uid.txt"), "utf8")).toBe("0\n");
  });

  test.skipIf(!isRoot)("as root without sudo, become_user goes through runuser", () => {
    const tmp = site({ "site.yml": "- shell: echo as-app > out.txt\n  become: true\n  become_user: app\n  env: { MODE: prod }\n" });
    mkdirSync(tmp.path("bin"));
    fakeProgram(tmp.path("bin"), "runuser", `printf '%s\\n' "$*" > '${tmp.path("runuser.argv")}'\nshift 3\nexec "$@"`);
    const result = runBinary(["run", "-c", "site.yml"], { cwd: tmp.dir, env: { PATH: isolatedPath(tmp.dir) } });
    expect(result.exitCode).toBe(0);
    expect(readFileSync(tmp.path("runuser.argv"), "utf8")).toBe("-u app -- bash -c echo as-app > out.txt\n");
    expect(readFileSync(tmp.path("out.txt"), "utf8")).toBe("as-app\n");
  });

  test("become: yes keeps its clear refusal", () => {
    const tmp = site({ "site.yml": "- shell: 'true'\n  become: yes\n" });
    const result = runBinary(["validate", "-c", "site.yml"], { cwd: tmp.dir });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toContain('site.yml:2:11: error: become: Expected true or false, got "yes"');
  });
});
