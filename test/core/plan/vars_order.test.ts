import { describe, expect, test } from "bun:test";
import { varsOrder } from "../../../core/plan/vars_order.ts";

describe("varsOrder", () => {
  test("a value comes after the values of its block it reads, written order otherwise", () => {
    expect(varsOrder({ conf: "{{ base }}/conf", other: 1, base: "/srv/{{ app }}", app: "shop" })).toEqual({ order: ["app", "base", "conf", "other"], cycles: [] });
  });

  test("a value reading its own name, or a name from outside the block, depends on nothing here", () => {
    expect(varsOrder({ path: "{{ path }}:/opt/bin", home: "{{ user_home }}" })).toEqual({ order: ["path", "home"], cycles: [] });
  });

  test("names inside lists, maps, sections and filters count", () => {
    expect(varsOrder({ all: ["{{#items}}{{ . }}{{/items}}", { x: "{{ n | default(1) }}" }], items: [1], n: 2 }).order).toEqual(["items", "n", "all"]);
  });

  test("a cycle is returned as its chain and left out of the order; what reads it still comes", () => {
    expect(varsOrder({ x: "{{ a }}", a: "{{ b }}", b: "{{ a }}", c: 1 })).toEqual({ order: ["x", "c"], cycles: [["a", "b", "a"]] });
  });
});
