import { quote } from "./assert_file.ts";

export interface HttpExpectation {
  url: string;
  method?: string;
  status?: number;
  headers?: Record<string, string | number | boolean>;
  body?: string;
  contains?: string;
  jsonpath?: string;
  equals?: unknown;
}

/** Requests the URL once and lists how the answer differs from the expectation; empty when it matches. */
export async function httpMismatches(expect: HttpExpectation, timeoutMs: number, signal: AbortSignal): Promise<string[]> {
  const method = (expect.method ?? "GET").toUpperCase();
  const wantStatus = expect.status ?? 200;
  let response: Response;
  try {
    response = await fetch(expect.url, {
      method,
      headers: Object.fromEntries(Object.entries(expect.headers ?? {}).map(([k, v]) => [k, String(v)])),
      ...(expect.body !== undefined ? { body: expect.body } : {}),
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      redirect: "manual",
    });
  } catch (e) {
    const reason = (e as Error).name === "TimeoutError" ? `no answer within ${timeoutMs / 1000}s` : (e as Error).message;
    return [`expected ${method} ${expect.url} to answer ${wantStatus}, found ${reason}`];
  }
  const text = await response.text();
  const problems: string[] = [];
  if (response.status !== wantStatus) problems.push(`expected ${method} ${expect.url} to answer ${wantStatus}, found ${response.status}`);
  if (expect.contains !== undefined && !text.includes(expect.contains)) problems.push(`expected the body to contain ${quote(expect.contains)}, found ${quote(text)}`);
  if (expect.jsonpath !== undefined) problems.push(...jsonMismatch(text, expect.jsonpath, expect.equals));
  return problems;
}

function jsonMismatch(text: string, path: string, equals: unknown): string[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return [`expected a JSON body for ${path}, found ${quote(text)}`];
  }
  const found = selectJsonPath(document, path);
  if (found === undefined) return [`expected ${path} to exist in the body, found nothing there`];
  if (equals !== undefined && !Bun.deepEquals(found, equals)) return [`expected ${path} to equal ${JSON.stringify(equals)}, found ${JSON.stringify(found)}`];
  return [];
}

/** The subset of JSONPath an assertion needs: `$.a.b`, `$.items[0].name`, `$['key with space']`; undefined when absent. */
export function selectJsonPath(document: unknown, path: string): unknown {
  const steps = [...path.replace(/^\$/, "").matchAll(/\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/g)];
  let value: unknown = document;
  for (const [, dotted, index, single, double] of steps) {
    if (value === null || typeof value !== "object") return undefined;
    const key = dotted ?? single ?? double ?? Number(index);
    value = (value as Record<string | number, unknown>)[key];
    if (value === undefined) return undefined;
  }
  return value;
}
