import { describe, expect, test } from "bun:test";
import {
  compileExpression,
  ExpressionError,
  ExpressionSyntaxError,
  UndefinedVariableError,
  type Vars,
} from "../../../core/expr/compile_expression.ts";

/** Vars as callers build them: a null prototype, optionally layered over a parent. */
function vars(values: Record<string, unknown>, parent: object | null = null): Vars {
  return Object.assign(Object.create(parent), values);
}

const registered = { rc: 0, stdout: "hello world\n", failed: false, changed: true, skipped: false, status: "changed" };
const base = vars({
  result: registered,
  pkgs: ["git", "curl"],
  port: 8080,
  name: "web",
  empty_text: "",
  nothing: null,
  map: { key: "v", nested: { deep: 1 } },
  items: [{ Src: "a.txt" }, { Src: "b.txt" }],
});

function run(source: string, values: Vars = base): unknown {
  return compileExpression(source).evaluate(values);
}

function syntaxError(source: string): ExpressionSyntaxError {
  try {
    compileExpression(source);
  } catch (e) {
    if (e instanceof ExpressionSyntaxError) return e;
    throw e;
  }
  throw new Error(`"${source}" compiled`);
}

function undefinedVariable(source: string, values: Vars = base): string {
  try {
    run(source, values);
  } catch (e) {
    if (e instanceof UndefinedVariableError) return e.variable;
    throw e;
  }
  throw new Error(`"${source}" evaluated`);
}

describe("boolean operators", () => {
  test.each([
    ["true and false", false],
    ["true && true", true],
    ["false or true", true],
    ["false || false", false],
    ["not true", false],
    ["!false", true],
    ["!(1 == 1)", false],
  ])("%s is %p", (source, expected) => expect(run(source)).toBe(expected));

  test("`not` binds looser than comparisons, so `not port == 1` negates the comparison", () => {
    expect(run("not port == 1")).toBe(true);
    expect(run("!port == 1")).toBe(true);
  });

  test("`and` short-circuits, so the right side may read an undefined variable", () => {
    expect(run("false and missing > 1")).toBe(false);
    expect(run("true or missing > 1")).toBe(true);
  });

  test("`!=` stays inequality and is not read as `!` and `=`", () => {
    expect(run("port != 80")).toBe(true);
    expect(run("port != 8080")).toBe(false);
  });
});

describe("comparison and arithmetic", () => {
  test.each([
    ["port == 8080", true],
    ["port < 9000", true],
    ["port <= 8080", true],
    ["port > 8080", false],
    ["port >= 8081", false],
    ['"a" < "b"', true],
    ["1 + 2 * 3", 7],
    ["(1 + 2) * 3", 9],
    ["10 - 4 - 3", 3],
    ["7 / 2", 3.5],
    ["7 % 3", 1],
    ["-7 % 3", -1],
    ["2 ** 3", 8],
    ["-2 ** 2", -4],
    ["-port", -8080],
    ['"a" + "b"', "ab"],
    ['name + "-" + 1', "web-1"],
    ["[1] + [2]", [1, 2]],
  ])("%s is %p", (source, expected) => expect(run(source)).toEqual(expected));

  test("comparing a string with a number is an ExpressionError naming both values and the expression", () => {
    expect(() => run('name < 1')).toThrow(new ExpressionError('Cannot compare string "web" with number 1 in expression "name < 1"'));
  });

  test("long values are shortened in messages", () => {
    const long = vars({ s: "x".repeat(100) });
    expect(() => run("s < 1", long)).toThrow(`Cannot compare string "${"x".repeat(36)}... with number 1`);
  });

  test("indexing with a list is an ExpressionError", () => {
    expect(() => run("map[[1]]")).toThrow('Cannot use list [1] as a key in expression "map[[1]]"');
  });

  test("arithmetic on a string is an ExpressionError", () => {
    expect(() => run("name * 2")).toThrow('Cannot multiply string "web" and number 2 in expression "name * 2"');
  });

  test("a non-boolean operand of `and` is an ExpressionError, never a returned Error object", () => {
    expect(() => run("name and true")).toThrow(ExpressionError);
    expect(() => run("name and true")).toThrow('Expected true or false, got a string in expression "name and true"');
  });
});

describe("literals", () => {
  test("single-quoted strings may contain double quotes", () => {
    expect(run(`'say "hi"'`)).toBe('say "hi"');
  });

  test("escaped quotes and backslashes decode in both quote styles", () => {
    expect(run(`'it\\'s'`)).toBe("it's");
    expect(run(`"a \\"b\\" \\\\ c"`)).toBe('a "b" \\ c');
    expect(run(`"line\\nnext"`)).toBe("line\nnext");
  });

  test("unknown escapes keep their backslash, so regular expressions need no doubling", () => {
    expect(run(`"\\d+"`)).toBe("\\d+");
  });

  test("operators inside strings are left alone", () => {
    expect(run(`"a && b || !c | d % e"`)).toBe("a && b || !c | d % e");
    expect(run(`'x == y and not z'`)).toBe("x == y and not z");
  });

  test("numbers, booleans and null/nil/none", () => {
    expect(run("1.5")).toBe(1.5);
    expect(run("true")).toBe(true);
    expect(run("false")).toBe(false);
    expect(run("nothing == null")).toBe(true);
    expect(run("nothing == nil")).toBe(true);
    expect(run("nothing == none")).toBe(true);
  });

  test("list literals and filtrex tuples are lists", () => {
    expect(run('[1, "a", port]')).toEqual([1, "a", 8080]);
    expect(run("[]")).toEqual([]);
    expect(run("(1, 2,)")).toEqual([1, 2]);
  });
});

describe("paths", () => {
  test("dotted paths read members of maps", () => {
    expect(run("result.rc")).toBe(0);
    expect(run("map.nested.deep")).toBe(1);
    expect(run("items.0.Src")).toBe("a.txt");
  });

  test("index access reads list elements and map keys", () => {
    expect(run("pkgs[1]")).toBe("curl");
    expect(run('map["key"]')).toBe("v");
    expect(run("items[port - 8079].Src")).toBe("b.txt");
  });

  test("a name may join words with - and start with digits, as registered results of the original's presets are named", () => {
    const named = vars({ "my-tool_check": { rc: 3 }, "1password-cli_check": { rc: 0 } }, base);
    expect(run("my-tool_check.rc != 0", named)).toBe(true);
    expect(run('os == "darwin" or 1password-cli_check.rc == 0', vars({ os: "linux" }, named))).toBe(true);
    expect(undefinedVariable("my-tool_check.rc")).toBe("my-tool_check.rc");
    // A - followed by a number, or with spaces around it, still subtracts.
    expect(run("port-8000")).toBe(80);
    expect(run("port - port")).toBe(0);
  });

  test("variables are found through a layered vars object", () => {
    expect(run("port + inner", vars({ inner: 1 }, base))).toBe(8081);
  });

  test("Object.prototype members are never variables or members", () => {
    expect(undefinedVariable("toString")).toBe("toString");
    expect(undefinedVariable("map.constructor")).toBe("map.constructor");
    expect(undefinedVariable("x.constructor", { x: {} })).toBe("x.constructor");
  });
});

describe("membership", () => {
  test("`in` tests membership when the right side is a list", () => {
    expect(run('"git" in pkgs')).toBe(true);
    expect(run('"vim" in pkgs')).toBe(false);
    expect(run('port in (80, 8080)')).toBe(true);
  });

  test("`in` tests substring when the right side is a string", () => {
    expect(run('"world" in result.stdout')).toBe(true);
    expect(run('"mars" in result.stdout')).toBe(false);
  });

  test("`in` tests for a key when the right side is a map", () => {
    expect(run('"key" in map')).toBe(true);
    expect(run('"nope" in map')).toBe(false);
  });

  test("`not in` negates membership", () => {
    expect(run('"vim" not in pkgs')).toBe(true);
    expect(run('"web" not in name')).toBe(false);
  });

  test("`in` on a number is an ExpressionError", () => {
    expect(() => run("1 in port")).toThrow('Cannot look for number 1 in number 8080 in expression "1 in port"');
  });
});

describe("infix words", () => {
  test.each([
    ['result.stdout contains "hello"', true],
    ['pkgs contains "git"', true],
    ['name startsWith "we"', true],
    ['name starts_with "eb"', false],
    ['name endsWith "eb"', true],
    ['name ends_with "we"', false],
    ['name matches "^w.b$"', true],
    ['name matches "^x"', false],
  ])("%s is %p", (source, expected) => expect(run(source)).toBe(expected));
});

describe("`is` tests", () => {
  const ok = { failed: false, changed: false, skipped: false, status: "ok" };
  const failed = { failed: true, changed: false, skipped: false, status: "failed" };
  const skipped = { failed: false, changed: false, skipped: true, status: "skipped" };
  const cases: [string, Record<string, unknown>, boolean][] = [
    ["r is failed", failed, true],
    ["r is failed", ok, false],
    ["r is succeeded", ok, true],
    ["r is succeeded", failed, false],
    ["r is success", ok, true],
    ["r is changed", registered, true],
    ["r is changed", ok, false],
    ["r is skipped", skipped, true],
    ["r is ok", ok, true],
    ["r is ok", registered, false],
    ["r is not failed", ok, true],
    ["r is not changed", registered, false],
  ];
  test.each(cases)("%s on %o is %p", (source, r, expected) => expect(run(source, vars({ r }))).toBe(expected));

  test("`is failed` reads `status` when the boolean field is absent", () => {
    expect(run("r is failed", vars({ r: { status: "failed" } }))).toBe(true);
  });

  test("`is defined`, `is undefined` and `is none`", () => {
    expect(run("port is defined")).toBe(true);
    expect(run("nope is defined")).toBe(false);
    expect(run("nope is undefined")).toBe(true);
    expect(run("port is not undefined")).toBe(true);
    expect(run("nothing is none")).toBe(true);
    expect(run("port is not none")).toBe(true);
  });

  test("a result test on a non-map is an ExpressionError", () => {
    expect(() => run("name is failed")).toThrow(ExpressionError);
  });
});

describe("conditionals", () => {
  test("`c ? a : b` and `if c then a else b` choose a branch", () => {
    expect(run('port > 80 ? "high" : "low"')).toBe("high");
    expect(run('if port < 80 then "low" else "high"')).toBe("high");
    expect(run('port < 80 ? "low" : port < 9000 ? "mid" : "high"')).toBe("mid");
  });

  test("only the chosen branch is evaluated", () => {
    expect(run("true ? 1 : missing")).toBe(1);
    expect(run("if false then missing else 2")).toBe(2);
  });
});

describe("pipes", () => {
  test("`value | filter` calls the filter with the value", () => {
    expect(run("name | upper")).toBe("WEB");
  });

  test("`value | filter(a)` passes the value first", () => {
    expect(run('pkgs | join(", ")')).toBe("git, curl");
  });

  test("the colon form `value | filter:arg` works, with or without spaces", () => {
    expect(run("nope | default:8080")).toBe(8080);
    expect(run('nope|default:"x"')).toBe("x");
    expect(run("nope | default:port")).toBe(8080);
  });

  test("filters chain left to right", () => {
    expect(run('nope | default:"a b" | upper | split')).toEqual(["A", "B"]);
    expect(run('pkgs | join(",") | upper | replace("GIT", "hg")')).toBe("hg,CURL");
  });

  test("a filter binds to the operand before it, and `||` is still or", () => {
    expect(run('"x" + name | upper')).toBe("xWEB");
    expect(run("false || port | default(1) == 8080")).toBe(true);
  });
});

describe("undefined variables", () => {
  test("an undefined variable is an UndefinedVariableError naming it", () => {
    expect(undefinedVariable("pkgz")).toBe("pkgz");
    expect(() => run("pkgz")).toThrow('Undefined variable "pkgz" in expression "pkgz"');
  });

  test("a missing member names the full path", () => {
    expect(undefinedVariable("result.rcx == 0")).toBe("result.rcx");
    expect(undefinedVariable('map["nope"]')).toBe('map["nope"]');
    expect(undefinedVariable("pkgs[5]")).toBe("pkgs[5]");
  });

  test("member access on an undefined variable names the longer path", () => {
    expect(undefinedVariable("reg.rc == 0")).toBe("reg.rc");
  });

  test("the error wins over the type error the undefined value causes", () => {
    expect(undefinedVariable("nope > 1")).toBe("nope");
    expect(undefinedVariable("upper(nope)")).toBe("nope");
    expect(undefinedVariable("[1, nope]")).toBe("nope");
  });

  test("`default` accepts an undefined value, in both call and pipe form", () => {
    expect(run("port2 | default(8080)")).toBe(8080);
    expect(run("default(x.y, 1)")).toBe(1);
    expect(run("result.nope | default(2)")).toBe(2);
  });

  test("`coalesce` accepts undefined values", () => {
    expect(run("coalesce(a, b.c, nothing, 3)")).toBe(3);
    expect(run("a ?? 4")).toBe(4);
  });

  test("`is_defined`, `empty` and `is defined/undefined` accept undefined values", () => {
    expect(run("is_defined(x)")).toBe(false);
    expect(run("empty(x.y)")).toBe(true);
    expect(run("x is defined and x > 1")).toBe(false);
    expect(run("x is undefined or x > 1")).toBe(true);
    expect(run("is_defined(x) and x.y == 1")).toBe(false);
  });

  test("an exemption covers only the value it consumed", () => {
    expect(undefinedVariable("is_defined(x) or x > 1")).toBe("x");
    expect(undefinedVariable("default(a, 1) + b")).toBe("b");
  });

  test("other functions do not accept undefined values", () => {
    expect(undefinedVariable("len(x)")).toBe("x");
    expect(undefinedVariable("x is none")).toBe("x");
  });

  test("null is defined", () => {
    expect(run("nothing is defined")).toBe(true);
    expect(run("is_defined(nothing)")).toBe(true);
  });
});

describe("references", () => {
  test("lists root variables once, sorted, without functions, filters, keywords, tests or members", () => {
    const expression = compileExpression(
      'result.rc == 0 and len(pkgs) > 1 and name | upper | default:fallback and not (x is defined) and item.Src in map[key] and true',
    );
    expect(expression.references).toEqual(["fallback", "item", "key", "map", "name", "pkgs", "result", "x"]);
  });

  test("strings and literals are not references", () => {
    expect(compileExpression('"pkgs" == nil').references).toEqual([]);
  });
});

describe("compilation", () => {
  test("compiling the same source twice returns the same object", () => {
    expect(compileExpression("port > 1")).toBe(compileExpression("port > 1"));
  });

  test("the source is kept as written", () => {
    expect(compileExpression("a  &&  b").source).toBe("a  &&  b");
  });

  test.each([
    ["port >", 6, "Unexpected end of expression"],
    ["port == == 1", 8, 'Unexpected "=="'],
    ["(port", 5, 'Expected ")" but found the end'],
    ["x = 1", 2, 'Unexpected "="'],
    ["'open", 0, "Unterminated string"],
    ["a # b", 2, 'Unexpected character "#"'],
    ["", 0, "Empty expression"],
    ["if x then 1", 11, 'Expected "else" but found the end'],
    ["a.", 2, 'Expected a name after "."'],
    ["a | 1", 4, 'Expected a filter name after "|"'],
    ["x and and", 6, 'Unexpected "and"'],
    ['"a" "b"', 4, 'Unexpected string "b"'],
  ])("%p is a syntax error at offset %p", (source, offset, message) => {
    const error = syntaxError(source);
    expect(error.message).toBe(message);
    expect(error.offset).toBe(offset);
  });

  test("an unknown function names it and suggests a close one", () => {
    const error = syntaxError("x | to_json");
    expect(error.message).toBe('Unknown function "to_json"');
    expect(error.offset).toBe(4);
    expect(error.hint).toBe('Did you mean "tojson"?');
  });

  test("an unknown function with nothing close lists the known functions", () => {
    const error = syntaxError("frobnicate(x)");
    expect(error.message).toBe('Unknown function "frobnicate"');
    expect(error.hint).toStartWith("Known functions: abs, b64decode");
  });

  test("a method call is a syntax error with a hint naming the filter", () => {
    const error = syntaxError("name.lower() == 'web'");
    expect(error.message).toBe('Method calls are not supported: ".lower()"');
    expect(error.offset).toBe(4);
    expect(error.hint).toBe('Write "name | lower" or "lower(name)"');
  });

  test("a call of an unknown method suggests the function it resembles", () => {
    const error = syntaxError("name.startswith('w')");
    expect(error.hint).toBe('Use a function or filter instead. Did you mean "starts_with"?');
  });

  test("an unknown test lists the known ones", () => {
    const error = syntaxError("path is file");
    expect(error.message).toBe('Unknown test "file"');
    expect(error.offset).toBe(8);
    expect(error.hint).toContain("defined");
  });

  test("hints cover `=`, Python's inline if and template braces", () => {
    expect(syntaxError("x = 1").hint).toBe("Use == to compare");
    expect(syntaxError("a if b else c").hint).toContain("cond ? a : b");
    expect(syntaxError("{{ x }}").hint).toBe("Write the expression without {{ }}");
  });

  test("a variable named like a filtrex keyword is still a variable", () => {
    expect(run("of + mod", vars({ of: 1, mod: 2 }))).toBe(3);
  });
});
