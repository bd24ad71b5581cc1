// Installs the pinned dependencies (Bun included, from the `bun` npm package) when they are
// missing or older than package-lock.json, so every npm script works on a machine that has
// only Node.js and npm.
import { execSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";

const marker = "node_modules/.package-lock.json";
const stale = !existsSync(marker) || statSync(marker).mtimeMs < statSync("package-lock.json").mtimeMs;
if (stale) {
  execSync("npm ci --no-audit --no-fund --loglevel=error", { stdio: "inherit" });
}
