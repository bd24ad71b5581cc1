/** The most hosts one inventory line or key may expand to: `web[0:99999999]` is a typo, not a fleet. */
export const MAX_HOSTS_PER_PATTERN = 65_536;

const BRACKETED_WITH_PORT = /^\[(.+)\]:([0-9]+)$/;
/** `host:port`, where the host may hold `[a:b]` ranges but no other colon. */
const WITH_PORT = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/;
const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/**
 * An inventory host entry as Ansible reads it: an optional `:port` (`db:2222`, `[::1]:2222`)
 * and ranges (`web[01:03]`, `db-[a:c]`, `n[0:10:5]`, several in one name) expanded in order.
 * Throws an Error whose message completes `Invalid host pattern "...": `.
 */
export function expandHostPattern(pattern: string): { hosts: string[]; port?: number } {
  let [name, port]: [string, number | undefined] = [pattern, undefined];
  const match = BRACKETED_WITH_PORT.exec(pattern) ?? WITH_PORT.exec(pattern);
  if (match) [name, port] = [match[1]!, Number(match[2])];
  else if (pattern.endsWith(":")) throw new Error('a trailing ":" must be followed by a port');
  if (port !== undefined && (port < 1 || port > 65535)) throw new Error(`port ${port} is not between 1 and 65535`);
  const hosts = name.includes("[") ? expandRanges(name) : [name];
  return port === undefined ? { hosts } : { hosts, port };
}

function expandRanges(name: string): string[] {
  const open = name.indexOf("[");
  const close = name.indexOf("]", open);
  if (close === -1) throw new Error(`"[" at column ${open + 1} has no closing "]"`);
  const [head, range, tail] = [name.slice(0, open), name.slice(open + 1, close), name.slice(close + 1)];
  const out: string[] = [];
  for (const middle of rangeValues(range)) {
    for (const host of tail.includes("[") ? expandRanges(tail) : [tail]) {
      out.push(head + middle + host);
      if (out.length > MAX_HOSTS_PER_PATTERN) throw new Error(`it expands to more than ${MAX_HOSTS_PER_PATTERN} hosts`);
    }
  }
  return out;
}

/** `01:03` -> 01 02 03; `a:c` -> a b c; `0:10:5` -> 0 5 10. */
function rangeValues(range: string): string[] {
  const bounds = range.split(":");
  if (bounds.length !== 2 && bounds.length !== 3) throw new Error(`range "[${range}]" must be [begin:end] or [begin:end:step]`);
  const [begin = "0", end, stepText = "1"] = [bounds[0] || "0", bounds[1]!, bounds[2]];
  if (!end) throw new Error(`range "[${range}]" has no end`);
  if (!/^[1-9][0-9]*$/.test(stepText)) throw new Error(`range "[${range}]" has a step that is not a positive whole number`);
  const step = Number(stepText);
  let values: string[];
  if (/^[A-Za-z]$/.test(begin) && /^[A-Za-z]$/.test(end)) {
    const [from, to] = [LETTERS.indexOf(begin), LETTERS.indexOf(end)];
    values = [];
    for (let i = from; i <= to; i += step) values.push(LETTERS[i]!);
  } else if (/^[0-9]+$/.test(begin) && /^[0-9]+$/.test(end)) {
    const width = begin.length > 1 && begin.startsWith("0") ? begin.length : 0;
    if (width && end.length !== width) throw new Error(`range "[${range}]" must write begin and end with the same number of digits`);
    const [from, to] = [Number(begin), Number(end)];
    if ((to - from) / step >= MAX_HOSTS_PER_PATTERN) throw new Error(`it expands to more than ${MAX_HOSTS_PER_PATTERN} hosts`);
    values = [];
    for (let i = from; i <= to; i += step) values.push(String(i).padStart(width, "0"));
  } else {
    throw new Error(`range "[${range}]" must be between two numbers or two letters`);
  }
  if (values.length === 0) throw new Error(`range "[${range}]" is empty: its begin is after its end`);
  return values;
}
