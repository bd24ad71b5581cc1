import { describe, expect, test } from "bun:test";
import { ExpressionError, UndefinedVariableError } from "../../../core/expr/compile_expression.ts";
import { parseTemplate, renderField, renderValue, TemplateSyntaxError } from "../../../core/template/parse_template.ts";

const vars = Object.assign(Object.create(null), {
  app: "web",
  port: 8080,
  ratio: 1.5,
  enabled: true,
  disabled: false,
  nothing: null,
  zero: 0,
  blank: "",
  pkgs: ["git", "curl"],
  users: [
    { name: "ann", shell: "bash" },
    { name: "bob", shell: "zsh" },
  ],
  owner: { name: "root", uid: 0 },
  empty_list: [],
  empty_map: {},
});

function render(source: string): string {
  return parseTemplate(source).render(vars);
}

function syntaxError(source: string): TemplateSyntaxError {
  try {
    parseTemplate(source);
  } catch (e) {
    if (e instanceof TemplateSyntaxError) return e;
    throw e;
  }
  throw new Error(`"${source}" parsed`);
}

describe("tags", () => {
  test("a plain name is a lookup and a dotted name a path", () => {
    expect(render("{{ app }}:{{port}} {{ owner.name }}")).toBe("web:8080 root");
  });

  test("a tag may hold any expression or filter pipeline", () => {
    expect(render('{{ app | upper }} {{ port | default(80) }} {{ missing | default:"x" }} {{ port > 80 }}')).toBe("WEB 8080 x true");
  });

  test("HTML is never escaped, in any tag form", () => {
    const html = Object.assign(Object.create(null), { s: `<a href="x">&'/` });
    expect(parseTemplate("{{ s }}|{{{ s }}}|{{& s }}").render(html)).toBe(`<a href="x">&'/|<a href="x">&'/|<a href="x">&'/`);
  });

  test("comments render nothing", () => {
    expect(render("a{{! note }}b")).toBe("ab");
  });

  test("an undefined variable is an UndefinedVariableError", () => {
    expect(() => render("{{ nope }}")).toThrow(UndefinedVariableError);
  });

  test("a runtime type error is an ExpressionError", () => {
    expect(() => render("{{ app * 2 }}")).toThrow(ExpressionError);
  });
});

describe("stringification", () => {
  test.each([
    ["{{ app }}", "web"],
    ["{{ port }}", "8080"],
    ["{{ ratio }}", "1.5"],
    ["{{ enabled }}/{{ disabled }}", "true/false"],
    ["[{{ nothing }}]", "[]"],
    ["{{ pkgs }}", '["git","curl"]'],
    ["{{ owner }}", '{"name":"root","uid":0}'],
  ])("%s renders as %s", (source, expected) => expect(render(source)).toBe(expected));
});

describe("sections", () => {
  test("a list renders the body once per element, with the element's fields as names", () => {
    expect(render("{{#users}}{{name}}:{{shell}} {{/users}}")).toBe("ann:bash bob:zsh ");
  });

  test("{{.}} is the current element", () => {
    expect(render("{{#pkgs}}[{{.}}]{{/pkgs}}")).toBe("[git][curl]");
  });

  test("names not on the element resolve in the outer variables", () => {
    expect(render("{{#users}}{{name}}@{{app}} {{/users}}")).toBe("ann@web bob@web ");
  });

  test("element fields shadow outer names only inside the section", () => {
    expect(render("{{#owner}}{{name}}{{/owner}} {{ app }}")).toBe("root web");
  });

  test("a non-empty map renders once with its fields as names", () => {
    expect(render("{{#owner}}{{name}}={{uid}}{{/owner}}")).toBe("root=0");
  });

  test("a truthy value renders once and falsy values not at all", () => {
    expect(render("{{#enabled}}on{{/enabled}}{{#disabled}}off{{/disabled}}")).toBe("on");
    for (const name of ["nothing", "zero", "blank", "empty_list", "empty_map"]) {
      expect(render(`{{#${name}}}shown{{/${name}}}`)).toBe("");
    }
  });

  test("an inverted section renders only for falsy values", () => {
    expect(render("{{^empty_list}}none{{/empty_list}}{{^pkgs}}none{{/pkgs}}")).toBe("none");
  });

  test("a section may be an expression", () => {
    expect(render("{{#port > 80}}high{{/port > 80}}")).toBe("high");
  });

  test("nested sections see every enclosing element", () => {
    const nested = Object.assign(Object.create(null), { groups: [{ g: "a", members: ["x", "y"] }] });
    expect(parseTemplate("{{#groups}}{{#members}}{{g}}.{{.}} {{/members}}{{/groups}}").render(nested)).toBe("a.x a.y ");
  });

  test("a line holding only a section tag leaves no blank line", () => {
    expect(render("a\n{{#enabled}}\nline\n{{/enabled}}\nb")).toBe("a\nline\nb");
  });

  test("a field named __proto__ is an ordinary name", () => {
    const tricky = Object.assign(Object.create(null), { items: [JSON.parse('{"__proto__": "p"}')] });
    expect(parseTemplate("{{#items}}{{ __proto__ }}{{/items}}").render(tricky)).toBe("p");
  });
});

describe("parseTemplate", () => {
  test("a string without tags is static and renders as itself", () => {
    const template = parseTemplate("plain {text} with ${HOME}");
    expect(template.isStatic).toBe(true);
    expect(template.references).toEqual([]);
    expect(template.render(vars)).toBe("plain {text} with ${HOME}");
  });

  test("references list the roots read by every tag and section", () => {
    const template = parseTemplate("{{ b.x | default(c) }} {{#items}}{{ a }}{{/items}} {{^flag}}{{/flag}} {{ upper(b.y) }}");
    expect(template.isStatic).toBe(false);
    expect(template.references).toEqual(["a", "b", "c", "flag", "items"]);
  });

  test("parsing the same source twice returns the same object", () => {
    expect(parseTemplate("{{ app }}!")).toBe(parseTemplate("{{ app }}!"));
  });

  test("shell text that looks like a Jinja comment opener is plain text", () => {
    expect(render("echo ${#pkgs[@]} {{ app }}")).toBe("echo ${#pkgs[@]} web");
  });
});

describe("syntax errors", () => {
  test.each([
    ["x {{ foo", 2, "Tag is not closed"],
    ["{{ a }} {{ b", 8, "Tag is not closed"],
    ["x {{#a}} y", 2, 'Section "a" is not closed'],
    ["{{#a}}{{#b}}{{/a}}", 12, 'Section "b" is closed by a different tag'],
    ["x {{/a}}", 2, 'Section "a" is closed but never opened'],
    ["ab {{> part }}", 3, "Partials are not supported"],
    ["x {{.}}", 2, 'Tag "{{.}}" is only valid inside a section'],
  ])("%p fails at offset %p", (source, offset, message) => {
    const error = syntaxError(source);
    expect(error.message).toBe(message);
    expect(error.offset).toBe(offset);
  });

  test("a bad expression points inside its tag", () => {
    const error = syntaxError("port: {{ port + }}");
    expect(error.message).toBe("Unexpected end of expression");
    expect(error.offset).toBe(15);
  });

  test("an unknown filter points at its name", () => {
    const error = syntaxError("x {{ app | capfirst }}");
    expect(error.message).toBe('Unknown function "capfirst"');
    expect(error.offset).toBe(11);
  });

  test("a bad section expression points inside the section tag", () => {
    expect(syntaxError("{{# a.lower() }}{{/ a.lower() }}").offset).toBe(5);
  });

  test("an empty tag fails at the tag", () => {
    expect(syntaxError("ab {{}}").offset).toBe(3);
  });
});

describe("Jinja tags", () => {
  test.each([
    ["{% if enabled %}on{% endif %}", 0, 'Jinja tag "{% if %}" is not supported', "Use a section, {{#enabled}}...{{/enabled}}, or a when: on the step"],
    ["a {%- if x == 1 -%}", 2, 'Jinja tag "{% if %}" is not supported', "Use a section, {{#x == 1}}...{{/x == 1}}, or a when: on the step"],
    ["{% if r.rc != 0 %}a{% else %}b{% endif %}", 0, 'Jinja tag "{% if %}" is not supported', "Use a section, {{#r.rc != 0}}...{{/r.rc != 0}}, and for {% else %} {{^r.rc != 0}}...{{/r.rc != 0}}, or a when: on the step"],
    ["{% if not ready %}wait{% endif %}", 0, 'Jinja tag "{% if %}" is not supported', "Use an inverted section, {{^ready}}...{{/ready}}, or a when: on the step"],
    ["x{% endif %}", 1, 'Jinja tag "{% endif %}" is not supported', "Use a section, {{#x}}...{{/x}}, or a when: on the step"],
    ["{% for p in pkgs %}{{ p }}{% endfor %}", 0, 'Jinja tag "{% for %}" is not supported', "Use a section, {{#pkgs}}...{{/pkgs}} with {{ p }} written {{.}} inside, or with_items on the step"],
    ["ab {% set x = 1 %}", 3, 'Jinja tag "{% set %}" is not supported', "Set variables with a vars: step"],
    ["{% raw %}", 0, 'Jinja tag "{% raw %}" is not supported', "Use mustache tags: {{ value }} and {{#section}}...{{/section}}"],
    ["a {# note #} b", 2, "Jinja comments are not supported", "Write comments as {{! comment }}"],
  ])("%p fails at offset %p", (source, offset, message, hint) => {
    const error = syntaxError(source);
    expect(error.message).toBe(message);
    expect(error.offset).toBe(offset);
    expect(error.hint).toBe(hint);
  });

  test("a section tag is not mistaken for a Jinja comment", () => {
    expect(render("{{#enabled}}#}{{/enabled}}")).toBe("#}");
  });
});

describe("renderValue", () => {
  test("a source that is exactly one tag keeps the value's type", () => {
    expect(renderValue("{{ pkgs }}", vars)).toEqual(["git", "curl"]);
    expect(renderValue("  {{ port }}\n", vars)).toBe(8080);
    expect(renderValue("{{ enabled }}", vars)).toBe(true);
    expect(renderValue("{{{ owner }}}", vars)).toEqual({ name: "root", uid: 0 });
    expect(renderValue("{{ pkgs | first }}", vars)).toBe("git");
  });

  test("anything else renders to a string", () => {
    expect(renderValue("{{ port }}/tcp", vars)).toBe("8080/tcp");
    expect(renderValue("{{ port }}{{ port }}", vars)).toBe("80808080");
    expect(renderValue("{{#pkgs}}{{.}}{{/pkgs}}", vars)).toBe("gitcurl");
    expect(renderValue("{{! note }}", vars)).toBe("");
  });

  test("a static string comes back as is", () => {
    expect(renderValue("plain", vars)).toBe("plain");
  });
});

describe("renderField", () => {
  test("one tag giving a list or a map is that value; a scalar renders as the text its field expects", () => {
    expect(renderField("{{ pkgs }}", vars)).toEqual(["git", "curl"]);
    expect(renderField(" {{ owner }} ", vars)).toEqual({ name: "root", uid: 0 });
    expect(renderField("{{ port }}", vars)).toBe("8080");
    expect(renderField("{{ enabled }}", vars)).toBe("true");
    expect(renderField("{{ pkgs }} and more", vars)).toBe('["git","curl"] and more');
  });
});
