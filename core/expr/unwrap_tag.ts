/**
 * The expression inside a value that is exactly one `{{ }}` tag, so `when: "{{ x > 1 }}"` means
 * `x > 1`; any other string comes back unchanged.
 */
export function unwrapTag(source: string): string {
  const trimmed = source.trim();
  if (!trimmed.startsWith("{{") || !trimmed.endsWith("}}")) return source;
  const inner = trimmed.slice(2, -2);
  // `{{{ x }}}` and `{{ a }} {{ b }}` are not a single plain tag.
  if (inner.startsWith("{") || inner.includes("{{") || inner.includes("}}")) return source;
  return inner.trim();
}
