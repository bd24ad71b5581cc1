import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { compileExpression, ExpressionError, UndefinedVariableError } from "../../../core/expr/compile_expression.ts";
import { FUNCTIONS } from "../../../core/expr/functions.ts";

const vars = Object.assign(Object.create(null), {
  text: "  Hello World  ",
  words: "a b  c",
  list: [3, 1, 2],
  map: { b: 2, a: 1 },
  nothing: null,
  path: "/srv/app/config.yml",
});

function run(source: string): unknown {
  return compileExpression(source).evaluate(vars);
}

// [function, expression, expected]; every function in the table appears at least once.
const cases: [string, string, unknown][] = [
  ["len", "len(list)", 3],
  ["len", 'len("abc")', 3],
  ["len", "len(map)", 2],
  ["length", "list | length", 3],
  ["lower", 'lower("AbC")', "abc"],
  ["upper", '"abc" | upper', "ABC"],
  ["title", '"hello wORLD" | title', "Hello World"],
  ["trim", "text | trim", "Hello World"],
  ["split", 'split("a,b", ",")', ["a", "b"]],
  ["split", "words | split", ["a", "b", "c"]],
  ["join", 'join(list, "-")', "3-1-2"],
  ["join", "list | join", "312"],
  ["replace", 'replace("a-b-c", "-", "+")', "a+b+c"],
  ["default", 'default(nothing, "d")', "d"],
  ["default", 'default("", "d")', "d"],
  ["default", 'default(0, "d")', 0],
  ["default", 'default(false, "d")', false],
  ["empty", "empty(nothing)", true],
  ["empty", 'empty("")', true],
  ["empty", "empty([])", true],
  ["empty", "empty(map)", false],
  ["empty", "empty(0)", false],
  ["first", "first(list)", 3],
  ["first", '"abc" | first', "a"],
  ["first", "first([])", null],
  ["last", "last(list)", 2],
  ["last", '"abc" | last', "c"],
  ["env", 'env("MOONCAKE_TEST_VAR")', "set"],
  ["env", 'env("MOONCAKE_TEST_UNSET")', ""],
  ["env", 'env("toString")', ""],
  ["has_env", 'has_env("MOONCAKE_TEST_VAR")', true],
  ["has_env", 'has_env("MOONCAKE_TEST_UNSET")', false],
  ["lookup", 'lookup("env", "MOONCAKE_TEST_VAR")', "set"],
  ["lookup", "lookup('env', 'MOONCAKE_TEST_UNSET')", ""],
  ["coalesce", 'coalesce(nothing, "", 1)', ""],
  ["coalesce", "coalesce(nothing)", null],
  ["ternary", 'ternary(1 == 1, "a", "b")', "a"],
  ["ternary", '(1 == 2) | ternary("a", "b")', "b"],
  ["is_defined", "is_defined(nothing)", true],
  ["basename", "path | basename", "config.yml"],
  ["dirname", "path | dirname", "/srv/app"],
  ["expanduser", '"~/x" | expanduser', "/home/tester/x"],
  ["expanduser", '"~" | expanduser', "/home/tester"],
  ["expanduser", '"a/~/x" | expanduser', "a/~/x"],
  ["ljust", '"ab" | ljust(4)', "ab  "],
  ["ljust", 'ljust("ab", 4, ".")', "ab.."],
  ["rjust", '"ab" | rjust(4)', "  ab"],
  ["rjust", 'rjust(7, 3, "0")', "007"],
  ["int", 'int("42")', 42],
  ["int", "int(3.9)", 3],
  ["int", "int(true)", 1],
  ["integer", '"7" | integer', 7],
  ["float", 'float("1.5")', 1.5],
  ["float", "float(2)", 2],
  ["string", "string(1)", "1"],
  ["string", "string(list)", "[3,1,2]"],
  ["string", "string(nothing)", ""],
  ["bool", 'bool("yes")', true],
  ["bool", 'bool("On")', true],
  ["bool", 'bool("1")', true],
  ["bool", 'bool("true")', true],
  ["bool", 'bool("no")', false],
  ["bool", "bool(0)", false],
  ["bool", "bool(nothing)", false],
  ["tojson", "map | tojson", '{"b":2,"a":1}'],
  ["tojson", '"x" | tojson', '"x"'],
  ["b64encode", '"héllo" | b64encode', "aMOpbGxv"],
  ["b64decode", '"aMOpbGxv" | b64decode', "héllo"],
  ["has", 'has("abc", "b")', true],
  ["has", 'has("abc", "d")', false],
  ["includes", "includes(list, 1)", true],
  ["includes", "includes(list, 9)", false],
  ["starts_with", 'starts_with("abc", "ab")', true],
  ["ends_with", 'ends_with("abc", "bc")', true],
  ["regex_match", 'regex_match("v1.2", "^v\\d+\\.\\d+$")', true],
  ["regex_match", 'regex_match("x", "^v")', false],
  ["regex_replace", '"v1.2" | regex_replace("^v", "")', "1.2"],
  ["regex_replace", 'regex_replace("a1b22", "\\d+", "#")', "a#b#"],
  ["regex_replace", 'regex_replace("key=val", "(\\w+)=(\\w+)", "\\2=\\1 $1")', "val=key $1"],
  ["min", "min(3, 1, 2)", 1],
  ["min", "min(list)", 1],
  ["max", "max(list)", 3],
  ["abs", "abs(-2)", 2],
  ["floor", "floor(1.7)", 1],
  ["ceil", "ceil(1.2)", 2],
  ["round", "round(1.5)", 2],
  ["round", "round(1.2345, 2)", 1.23],
  ["pow", "pow(2, 10)", 1024],
  ["sqrt", "sqrt(9)", 3],
  ["is_string", 'is_string("a")', true],
  ["is_string", "is_string(1)", false],
  ["is_number", "is_number(1)", true],
  ["is_number", 'is_number("1")', false],
  ["is_bool", "is_bool(false)", true],
  ["is_bool", "is_bool(nothing)", false],
  ["is_array", "is_array(list)", true],
  ["is_array", "is_array(map)", false],
  ["is_map", "is_map(map)", true],
  ["is_map", "is_map(list)", false],
  ["keys", "keys(map)", ["b", "a"]],
  ["values", "map | values", [2, 1]],
];

describe("functions", () => {
  let saved: Record<string, string | undefined>;
  beforeEach(() => {
    saved = { HOME: process.env.HOME, MOONCAKE_TEST_VAR: process.env.MOONCAKE_TEST_VAR };
    process.env.HOME = "/home/tester";
    process.env.MOONCAKE_TEST_VAR = "set";
    delete process.env.MOONCAKE_TEST_UNSET;
  });
  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  test.each(cases)("%s: %s is %p", (_name, source, expected) => expect(run(source)).toEqual(expected));

  test("every function in the table has a case", () => {
    const covered = new Set(cases.map(([name]) => name));
    expect(Object.keys(FUNCTIONS).filter((name) => !covered.has(name))).toEqual([]);
  });
});

describe("function errors", () => {
  test.each([
    ["upper(list)", `upper() expects a string, got list [3,1,2] in expression "upper(list)"`],
    ["len(1)", `len() expects a string, list or map, got number 1 in expression "len(1)"`],
    [`abs("x")`, `abs() expects a number, got string "x" in expression "abs("x")"`],
    [`int("abc")`, `int() expects a number or numeric string, got string "abc" in expression "int("abc")"`],
    ["keys(list)", `keys() expects a map, got list [3,1,2] in expression "keys(list)"`],
    ["ternary(1, 2, 3)", `ternary() expects true or false, got number 1 in expression "ternary(1, 2, 3)"`],
    [`replace("a")`, `replace() expects a string, got nothing in expression "replace("a")"`],
    ["min([])", `min() expects at least one number, got nothing in expression "min([])"`],
    [`regex_match("a", "(")`, `Invalid regular expression "(" in expression "regex_match("a", "(")"`],
    [`lookup("file", "/etc/passwd")`, `lookup() reads only "env", as in lookup("env", "HOME"), got string "file" in expression "lookup("file", "/etc/passwd")"`],
  ])("%s is an ExpressionError", (source, message) => {
    expect(() => run(source)).toThrow(ExpressionError);
    expect(() => run(source)).toThrow(message);
  });

  test("string functions accept numbers and booleans", () => {
    expect(run("upper(true)")).toBe("TRUE");
    expect(run("12 | ljust(3)")).toBe("12 ");
  });

  test("a function that does not accept undefined values reports the variable, not its type", () => {
    expect(() => run("upper(nope)")).toThrow(UndefinedVariableError);
  });
});
