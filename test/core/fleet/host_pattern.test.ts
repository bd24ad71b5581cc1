import { describe, expect, test } from "bun:test";
import { expandHostPattern } from "../../../core/fleet/host_pattern.ts";

describe("expandHostPattern", () => {
  test("a name without range or port is itself", () => {
    expect(expandHostPattern("web.example.com")).toEqual({ hosts: ["web.example.com"] });
    expect(expandHostPattern("fe80::1")).toEqual({ hosts: ["fe80::1"] });
  });

  test("a port follows the last colon; IPv6 takes it after brackets", () => {
    expect(expandHostPattern("db:2222")).toEqual({ hosts: ["db"], port: 2222 });
    expect(expandHostPattern("[fe80::1]:22")).toEqual({ hosts: ["fe80::1"], port: 22 });
    expect(expandHostPattern("web[1:2]:8022")).toEqual({ hosts: ["web1", "web2"], port: 8022 });
    expect(() => expandHostPattern("db:0")).toThrow("port 0 is not between 1 and 65535");
  });

  test("numeric ranges keep the begin's zero padding; an empty begin is 0; a step strides", () => {
    expect(expandHostPattern("n[8:10]").hosts).toEqual(["n8", "n9", "n10"]);
    expect(expandHostPattern("n[08:10]").hosts).toEqual(["n08", "n09", "n10"]);
    expect(expandHostPattern("n[:2]").hosts).toEqual(["n0", "n1", "n2"]);
    expect(expandHostPattern("n[1:10:4]").hosts).toEqual(["n1", "n5", "n9"]);
  });

  test("letter ranges run through a-z then A-Z", () => {
    expect(expandHostPattern("db-[y:B]").hosts).toEqual(["db-y", "db-z", "db-A", "db-B"]);
    expect(expandHostPattern("[a:e:2]x").hosts).toEqual(["ax", "cx", "ex"]);
  });

  test("an unclosed bracket is refused", () => {
    expect(() => expandHostPattern("web[1:3")).toThrow('"[" at column 4 has no closing "]"');
  });
});
