import { type FactGroup, warnUnlessMissing } from "./fact_group.ts";

export interface OllamaFacts {
  /** Where the server listens: OLLAMA_HOST, else Ollama's default. */
  endpoint: string;
  /** Models the server has (`ollama list`), as `name:tag`. */
  models: string[];
}

/**
 * OLLAMA_HOST as a URL clients reach, read as Ollama reads it: `0.0.0.0:8080`, `:8080`, `host`
 * (port 11434 unless given), or a URL whose scheme gives the default port (`https://host` is 443).
 */
export function ollamaEndpoint(host: string | undefined): string {
  const value = (host ?? "").trim() || "127.0.0.1:11434";
  const schemed = /^https?:\/\//.test(value);
  const url = new URL(schemed ? value : `http://${value.startsWith(":") ? `127.0.0.1${value}` : value}`);
  if (url.hostname === "0.0.0.0") url.hostname = "127.0.0.1";
  if (!schemed && !url.port) url.port = "11434";
  return url.origin;
}

/** Ollama's endpoint and models, from `ollama list`; no ollama means no models. */
export const ollamaGroup: FactGroup = {
  name: "ollama",
  probes: () => [{ argv: ["ollama", "list"] }],
  compute(input): OllamaFacts {
    const [list] = input.results;
    warnUnlessMissing(input, list, "ollama: ollama list");
    const models = list?.status === "ok" ? list.stdout.split("\n").slice(1).map((l) => l.split(/\s+/)[0]!).filter(Boolean) : [];
    return { endpoint: ollamaEndpoint(process.env.OLLAMA_HOST), models };
  },
};
