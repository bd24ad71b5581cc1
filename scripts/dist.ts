// `make dist`: dist/mooncake-<os>-<arch>[-musl][.exe] for every platform in targets.ts,
// dist/SHA256SUMS over them (sha256sum's format), and dist/install.sh. Set MOONCAKE_RELEASE_URL
// to the address the files will be published at and the copied install.sh downloads from it
// by default, so `curl -fsSL $MOONCAKE_RELEASE_URL/install.sh | sh` needs no variables.
// Only a TARGETS=linux-x64,linux-arm64 subset, for a quick local check.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bunRuntime } from "./bun_runtime.ts";
import { compileBinary, gitCommit } from "./compile_binary.ts";
import { releaseInstaller } from "./release_installer.ts";
import { hostTarget, TARGETS } from "./targets.ts";

const root = join(import.meta.dir, "..");
const dist = join(root, "dist");
const only = process.env.TARGETS?.split(",").filter(Boolean);
const targets = only ? TARGETS.filter((t) => only.includes(t.name)) : TARGETS;
if (only && targets.length !== only.length) {
  throw new Error(`Unknown target in TARGETS: choose from ${TARGETS.map((t) => t.name).join(", ")}`);
}

const started = performance.now();
const commit = gitCommit();
const host = hostTarget();
mkdirSync(dist, { recursive: true });
for (const target of TARGETS) rmSync(join(dist, target.file), { force: true });

const sums: string[] = [];
for (const target of targets) {
  const runtime = target.name === host.name ? undefined : bunRuntime(target);
  await compileBinary({ target, runtime, outfile: join("dist", target.file), commit });
  const hash = new Bun.CryptoHasher("sha256").update(readFileSync(join(dist, target.file))).digest("hex");
  sums.push(`${hash}  ${target.file}\n`);
}
writeFileSync(join(dist, "SHA256SUMS"), sums.join(""));
writeFileSync(join(dist, "install.sh"), releaseInstaller(readFileSync(join(root, "scripts", "install.sh"), "utf8"), process.env.MOONCAKE_RELEASE_URL ?? ""), { mode: 0o755 });
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`dist: ${targets.length} binaries of ${commit}, SHA256SUMS and install.sh in ${seconds} s`);
