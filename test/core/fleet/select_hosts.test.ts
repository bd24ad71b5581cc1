import { afterAll, describe, expect, test } from "bun:test";
import { loadInventory } from "../../../core/fleet/load_inventory.ts";
import { HostPatternError, selectHosts } from "../../../core/fleet/select_hosts.ts";
import { tempDir } from "../../helpers/temp_dir.ts";

const tmp = tempDir({
  "hosts.ini": "[web]\nweb1\nweb2\nweb10\n\n[db]\ndb1\ndb2\n\n[prod:children]\nweb\ndb\n\n[staging]\nweb2\ndb3\n",
});
afterAll(tmp.remove);
const inventory = loadInventory(tmp.path("hosts.ini"));
const names = (pattern?: string) => selectHosts(inventory, pattern).map((h) => h.name);
const failure = (pattern: string) => {
  try {
    selectHosts(inventory, pattern);
  } catch (e) {
    expect(e).toBeInstanceOf(HostPatternError);
    return (e as Error).message;
  }
  throw new Error(`"${pattern}" was accepted`);
};

describe("selectHosts", () => {
  test("no pattern, all and * select every host in inventory order", () => {
    const every = ["web1", "web2", "web10", "db1", "db2", "db3"];
    expect(names()).toEqual(every);
    expect(names("all")).toEqual(every);
    expect(names("*")).toEqual(every);
  });

  test("a group selects its hosts and its children's; a host name selects the host", () => {
    expect(names("web")).toEqual(["web1", "web2", "web10"]);
    expect(names("prod")).toEqual(["web1", "web2", "web10", "db1", "db2"]);
    expect(names("db3")).toEqual(["db3"]);
  });

  test("commas and colons join terms; blanks around them do not matter", () => {
    expect(names("db3,web1")).toEqual(["web1", "db3"]);
    expect(names("db:staging")).toEqual(["web2", "db1", "db2", "db3"]);
    expect(names(" web1 , db1 ")).toEqual(["web1", "db1"]);
  });

  test("&term intersects and !term excludes, after the plain terms whatever their place", () => {
    expect(names("prod:&staging")).toEqual(["web2"]);
    expect(names("!staging:prod")).toEqual(["web1", "web10", "db1", "db2"]);
    expect(names("!staging")).toEqual(["web1", "web10", "db1", "db2"]);
    expect(names("&staging")).toEqual(["web2", "db3"]);
  });

  test("globs match group and host names whole; `a*` matches the group all, as in Ansible", () => {
    expect(names("web*")).toEqual(["web1", "web2", "web10"]);
    expect(names("db?")).toEqual(["db1", "db2", "db3"]);
    expect(names("db[!2]")).toEqual(["db1", "db3"]);
    expect(names("a*")).toHaveLength(6);
  });

  test("~ starts a regular expression matched from the start of the name, as Python's re.match", () => {
    expect(names("~web\\d+")).toEqual(["web1", "web2", "web10"]);
    expect(names("~web1")).toEqual(["web1", "web10"]);
    expect(names("~(web|db)1$")).toEqual(["web1", "db1"]);
    expect(names("~^(?:web|db):?1$")).toEqual(["web1", "db1"]);
  });

  test("a subscript picks hosts of a group by position: [i], [-i], [i:j] inclusive, [i:]", () => {
    expect(names("web[0]")).toEqual(["web1"]);
    expect(names("web[-1]")).toEqual(["web10"]);
    expect(names("web[0:1]")).toEqual(["web1", "web2"]);
    expect(names("web[1:]")).toEqual(["web2", "web10"]);
    expect(names("web[1:]:db[0]")).toEqual(["web2", "web10", "db1"]);
  });

  test("a term that matches nothing is an error naming it", () => {
    expect(failure("nope")).toBe('Host pattern "nope" matches no host or group of the inventory');
    expect(failure("web:!nope")).toBe('Host pattern "!nope" matches no host or group of the inventory');
    expect(failure("web[12]")).toBe('Host pattern "web[12]" matches no host or group of the inventory');
    expect(failure("~[")).toStartWith('Host pattern "~[" is not a valid regular expression: ');
    expect(failure("web[0:db")).toBe('Host pattern "web[0:db" has a "[" or "]" without its pair');
  });

  test("a pattern whose terms leave no host is an error naming the whole pattern", () => {
    expect(failure("web:&db")).toBe('Host pattern "web:&db" selects no host: its terms exclude each other');
    expect(failure("web:!prod")).toBe('Host pattern "web:!prod" selects no host: its terms exclude each other');
    expect(failure(" , ")).toBe('Host pattern " , " is empty');
  });
});
