// unarchive against GNU tar and unzip on the same ~40 MB archive (20 incompressible 1.5 MB
// blobs and 2,000 text files, ~90 MB extracted), with the peak memory of each; then the archive
// bomb: a 1 MB .tar.gz of 1 GiB of zeros, refused by the default max_bytes, and extracted with
// max_bytes raised (dry-run and run), each peak RSS against the 256 MB target. CPU time is
// shown beside wall time: on a shared machine it is the steadier of the two.
// RUNS (default 3) sets the runs per figure. Runs alone or from all.ts.
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Bench, cpuRow, type Measurement, measure, printTable, type Row, timeRow } from "./measure.ts";

const binary = join(import.meta.dir, "..", "..", "dist", "mooncake");
const RSS_TARGET_MB = 256;
const RSS_TARGET_40MB = 100;

export const run: Bench = async () => {
  const runs = Number(process.env.RUNS ?? 3);
  const tmp = mkdtempSync(join(tmpdir(), "mooncake-bench-"));
  try {
    writeTree(join(tmp, "tree"));
    Bun.spawnSync(["tar", "czf", "tree.tar.gz", "-C", "tree", "."], { cwd: tmp });
    Bun.spawnSync(["sh", "-c", "cd tree && zip -qr ../tree.zip ."], { cwd: tmp });
    const mb = (Bun.file(join(tmp, "tree.tar.gz")).size / 1e6).toFixed(0);
    writeFileSync(join(tmp, "tgz.yml"), "- unarchive: { src: tree.tar.gz, dest: out }\n");
    writeFileSync(join(tmp, "zip.yml"), "- unarchive: { src: tree.zip, dest: out }\n");
    const mooncake = (config: string) => ["sh", "-c", `rm -rf out && ${binary} run -c ${config} --raw --no-artifacts`];
    const tar = measure(`tar xzf (${mb} MB .tar.gz)`, ["sh", "-c", "rm -rf gnu && mkdir gnu && tar xzf tree.tar.gz -C gnu"], runs, tmp);
    const tgz = measure(`mooncake unarchive (${mb} MB .tar.gz)`, mooncake("tgz.yml"), runs, tmp);
    const unzip = measure(`unzip (${mb} MB .zip)`, ["sh", "-c", "rm -rf gnu && unzip -q tree.zip -d gnu"], runs, tmp);
    const zip = measure(`mooncake unarchive (${mb} MB .zip)`, mooncake("zip.yml"), runs, tmp);
    rmSync(join(tmp, "tree"), { recursive: true });

    writeFileSync(join(tmp, "zeros"), "");
    truncateSync(join(tmp, "zeros"), 1024 ** 3);
    Bun.spawnSync(["tar", "czf", "bomb.tar.gz", "zeros"], { cwd: tmp });
    rmSync(join(tmp, "zeros"));
    mkdirSync(join(tmp, "bomb"));
    writeFileSync(join(tmp, "bomb.yml"), "- unarchive: { src: bomb.tar.gz, dest: bomb/out }\n");
    writeFileSync(join(tmp, "bomb_raised.yml"), "- unarchive: { src: bomb.tar.gz, dest: bomb/out, max_bytes: 2000000000 }\n");
    const refused = measure("bomb, default limits (refused)", ["sh", "-c", `${binary} run -c bomb.yml --raw --no-artifacts; test $? = 3`], 1, tmp);
    const dry = measure("bomb, max_bytes raised, dry-run", [binary, "run", "-c", "bomb_raised.yml", "--raw", "--no-artifacts", "--dry-run"], 1, tmp);
    const extracted = measure("bomb, max_bytes raised, run", ["sh", "-c", `rm -rf bomb/out && ${binary} run -c bomb_raised.yml --raw --no-artifacts`], 1, tmp);
    return [
      timeRow(tar),
      timeRow(tgz, tar),
      cpuRow(tgz, tar),
      rssRow(tgz, RSS_TARGET_40MB),
      timeRow(unzip),
      timeRow(zip, unzip),
      cpuRow(zip, unzip),
      rssRow(zip, RSS_TARGET_40MB),
      rssRow(refused, RSS_TARGET_MB),
      rssRow(dry, RSS_TARGET_MB),
      rssRow(extracted, RSS_TARGET_MB),
    ];
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
};

function rssRow(m: Measurement, target: number): Row {
  return { figure: `${m.label}: peak RSS`, value: m.maxRssMb, unit: "MB", baseline: { label: "target", value: target } };
}

/** 20 directories, each with a 1.5 MB incompressible blob and 100 text files of 5,000 words. */
function writeTree(root: string): void {
  let seed = 0x9e3779b9;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  const words = ["alpha", "beta", "gamma", "delta", "model", "weight", "tensor", "layer"];
  for (let d = 0; d < 20; d++) {
    mkdirSync(join(root, `dir${d}`), { recursive: true });
    const blob = new Uint32Array((1536 * 1024) / 4).map(next);
    writeFileSync(join(root, `dir${d}`, "blob.bin"), blob);
    for (let f = 0; f < 100; f++) {
      const text = Array.from({ length: 5000 }, () => (next() % 9 === 8 ? String(next() % 100000) : words[next() % 8])).join(" ");
      writeFileSync(join(root, `dir${d}`, `f${f}.txt`), text);
    }
  }
}

if (import.meta.main) printTable(await run());
