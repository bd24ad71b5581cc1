import { ACTIONS } from "../../../actions/registry.ts";
import { describe, expect, test } from "bun:test";
import { checkRenderedFormats } from "../../../core/config/check_formats.ts";
import { COMMON_FIELDS } from "../../../core/config/step_schema.ts";

const download = ACTIONS.find("download")!.schema;
const file = ACTIONS.find("file")!.schema;

describe("checkRenderedFormats", () => {
  test("a field written as a template is checked on its rendered value and converted to the format's type", () => {
    const written = { url: "{{ base }}/a.tgz", dest: "/tmp/a", retries: "{{ n }}", force: "{{ again }}", timeout_s: 5 };
    const rendered = { url: "https://h/a.tgz", dest: "/tmp/a", retries: "3", force: "true", timeout_s: 5 };
    expect(checkRenderedFormats(download, written, rendered)).toEqual({
      value: { url: "https://h/a.tgz", dest: "/tmp/a", retries: 3, force: true, timeout_s: 5 },
      problems: [],
      deferred: [],
    });
  });

  test("a mismatch names the field's path, the rendered value and its template", () => {
    const result = checkRenderedFormats(download, { url: "{{ u }}", dest: "/x", retries: "{{ n }}" }, { url: "ftp://h", dest: "/x", retries: "2.5" });
    expect(result.problems).toEqual([
      { path: ["url"], message: '"ftp://h" is not valid: expected an http:// or https:// URL (rendered from "{{ u }}")' },
      { path: ["retries"], message: 'Expected a whole number, got 2.5 (rendered from "{{ n }}")' },
    ]);
  });

  test("a field that still holds its template is deferred, not checked; literals are left alone", () => {
    const written = { url: "{{ out.stdout }}", dest: "/x", retries: 2 };
    expect(checkRenderedFormats(download, written, written)).toEqual({ value: written, problems: [], deferred: [["url"]] });
  });

  test("a string format is not read as a number: a mode of non-octal digits stays a string and fails", () => {
    const result = checkRenderedFormats(file, { path: "/x", mode: "{{ m }}" }, { path: "/x", mode: "689" });
    expect(result.value).toEqual({ path: "/x", mode: "689" });
    expect(result.problems.map((p) => p.message)).toEqual(['"689" is not valid: expected an octal mode such as "0644" (rendered from "{{ m }}")']);
  });

  test("the member of a union is the one the written value matches (file: state directory)", () => {
    const result = checkRenderedFormats(file, { path: "/d", state: "directory", recurse: "{{ r }}" }, { path: "/d", state: "directory", recurse: "yes" });
    expect(result.problems.map((p) => [p.path, p.message])).toEqual([[["recurse"], 'Expected true or false, got "yes" (rendered from "{{ r }}")']]);
  });

  test("step fields: a duration template renders to a duration", () => {
    expect(checkRenderedFormats(COMMON_FIELDS.timeout!, "{{ t }}", "30s").problems).toEqual([]);
    expect(checkRenderedFormats(COMMON_FIELDS.timeout!, "{{ t }}", "1m30s").problems).toHaveLength(1);
  });
});
