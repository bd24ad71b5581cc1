import puppeteer, { type Browser } from "puppeteer-core";

/** Debian's chromium (installed by scripts/test.sh where it can be), or MOONCAKE_CHROMIUM. */
export function chromiumPath(): string | null {
  return process.env.MOONCAKE_CHROMIUM ?? Bun.which("chromium") ?? Bun.which("chromium-browser");
}

/** A headless chromium, or why there is none (the browser tests then skip, saying so). */
export async function launchChromium(): Promise<Browser | string> {
  const executablePath = chromiumPath();
  if (!executablePath) return "chromium is not installed (scripts/test.sh installs it with apt-get where it can)";
  try {
    return await puppeteer.launch({
      executablePath,
      headless: true,
      // Root in a container has no user namespace sandbox to give chromium.
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check"],
    });
  } catch (e) {
    return `chromium at ${executablePath} does not start: ${(e as Error).message.split("\n")[0]}`;
  }
}
