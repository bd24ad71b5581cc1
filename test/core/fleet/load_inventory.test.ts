import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { InventoryError, loadInventory } from "../../../core/fleet/load_inventory.ts";
import { tempDirPerTest } from "../../helpers/temp_dir.ts";

const tempDir = tempDirPerTest();

function problems(path: string): string[] {
  try {
    loadInventory(path);
  } catch (e) {
    expect(e).toBeInstanceOf(InventoryError);
    return (e as InventoryError).diagnostics.map((d) => `${d.code} ${d.subject?.file.split("/").pop()}:${d.subject?.line}:${d.subject?.col} ${d.message}`);
  }
  throw new Error(`${path} loaded`);
}

describe("loadInventory", () => {
  test("a file without an extension is YAML when it parses to a mapping, INI otherwise", () => {
    const yaml = tempDir({ inventory: "web:\n  hosts:\n    web1:\n      port_text: '8080'\n" });
    expect(loadInventory(yaml.path("inventory")).hosts.map((h) => [h.name, h.groups, h.vars.port_text])).toEqual([["web1", ["web"], "8080"]]);
    const ini = tempDir({ inventory: "web1 port_text=8080\n" });
    expect(loadInventory(ini.path("inventory")).hosts.map((h) => [h.name, h.groups, h.vars.port_text])).toEqual([["web1", ["ungrouped"], 8080]]);
  });

  test("any other extension is INI, even when the text would parse as YAML", () => {
    const tmp = tempDir({ "hosts.cfg": "web1: 1\n" });
    expect(problems(tmp.path("hosts.cfg"))).toEqual(['MC3003 hosts.cfg:1:1 Invalid host pattern "web1:": a trailing ":" must be followed by a port']);
  });

  test("a host listed in all and in a group is not ungrouped; one only in all is", () => {
    const tmp = tempDir({ "hosts.yml": "all:\n  hosts:\n    lone:\n    both:\n  children:\n    web:\n      hosts:\n        both:\n" });
    expect(loadInventory(tmp.path("hosts.yml")).hosts.map((h) => [h.name, h.groups])).toEqual([["lone", ["ungrouped"]], ["both", ["web"]]]);
  });

  test("group_vars/<name> without an extension is taken before <name>.yml", () => {
    const tmp = tempDir({ "hosts.ini": "[web]\nweb1\n", "group_vars/web": "from: bare\n", "group_vars/web.yml": "from: yml\n" });
    expect(loadInventory(tmp.path("hosts.ini")).hosts[0]!.vars.from).toBe("bare");
  });

  test("a port given as digits in YAML is a port; a group priority must be a whole number", () => {
    const tmp = tempDir({ "hosts.yml": "web:\n  hosts:\n    web1:\n      ansible_port: '2222'\n" });
    expect(loadInventory(tmp.path("hosts.yml")).hosts[0]!.port).toBe(2222);
    const bad = tempDir({ "hosts.ini": "[web]\nweb1\n[web:vars]\nansible_group_priority=high\n" });
    expect(problems(bad.path("hosts.ini"))).toEqual(['MC3005 hosts.ini:4:1 Invalid ansible_group_priority for group "web": expected a whole number']);
  });

  test("vars files beside the inventory are located in their own file, and refuse passwords too", () => {
    const tmp = tempDir({
      "hosts.ini": "[web]\nweb1\n",
      "group_vars/web.yml": "- not\n- a mapping\n",
      "host_vars/web1/secret.yml": "color: red\nansible_become_pass: hunter2\n",
      "group_vars/all.yml": "ansible_port: nope\n",
    });
    expect(problems(tmp.path("hosts.ini"))).toEqual([
      `MC3008 web.yml:1:1 Vars file "${tmp.path("group_vars/web.yml")}" must hold a mapping of variables, got a list`,
      'MC3006 secret.yml:2:1 "ansible_become_pass" is refused: an inventory variable is kept in clear in the plan and the run\'s artifacts; give the sudo password with --sudo-pass-file instead',
      'MC3005 all.yml:1:1 Invalid ansible_port "nope" for host "web1": expected a port number between 1 and 65535',
    ]);
  });

  test("an inventory or a vars file that is a named pipe is refused without waiting for a writer", () => {
    const tmp = tempDir({ "hosts.ini": "[web]\nweb1\n" });
    expect(spawnSync("mkfifo", [tmp.path("fifo.ini"), tmp.path("web1.yml")]).status).toBe(0);
    expect(problems(tmp.path("fifo.ini"))).toEqual([`MC1001 fifo.ini:1:1 Cannot read "${tmp.path("fifo.ini")}": it is a named pipe, not a regular file`]);
    spawnSync("mkdir", [tmp.path("host_vars")]);
    spawnSync("mv", [tmp.path("web1.yml"), tmp.path("host_vars/web1.yml")]);
    expect(problems(tmp.path("hosts.ini"))).toEqual([`MC1001 web1.yml:1:1 Cannot read "${tmp.path("host_vars/web1.yml")}": it is a named pipe, not a regular file`]);
  });

  test("a host name with a control character is refused, escaped in the message", () => {
    const tmp = tempDir({ "hosts.yml": 'all:\n  hosts:\n    "a\\0b":\n    "tab\\there":\n' });
    expect(problems(tmp.path("hosts.yml"))).toEqual([
      'MC3007 hosts.yml:3:5 Invalid host name "a\\u0000b": it contains a control character',
      'MC3007 hosts.yml:4:5 Invalid host name "tab\\there": it contains a control character',
    ]);
  });

  test("a variable repeated for every host of a range is reported once", () => {
    const tmp = tempDir({ "hosts.ini": "web[1:3] ansible_sudo_pass=x\n" });
    expect(problems(tmp.path("hosts.ini"))).toHaveLength(1);
  });
});
