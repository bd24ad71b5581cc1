import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { converge, sandbox } from "../helpers/converge.ts";
import { runSteps } from "../helpers/run_steps.ts";

describe("template", () => {
  test("renders with the run's variables and step vars, then is ok while the rendering is unchanged", async () => {
    const tmp = sandbox({ "app.conf.mustache": "name = {{ app }}\nport = {{ port }}\n{{#hosts}}host = {{ . }}\n{{/hosts}}" });
    const yaml = "vars: { app: demo, hosts: [a, b] }\nsteps:\n  - template: { src: app.conf.mustache, dest: out/app.conf, vars: { port: 8080 } }\n";
    const { preview, first } = await converge(tmp.dir, yaml);
    expect(preview.changes[0]).toMatchObject({ kind: "create" });
    expect(preview.changes[0]?.diff).toContain("+name = demo\n+port = 8080\n+host = a\n+host = b\n");
    expect(readFileSync(tmp.path("out/app.conf"), "utf8")).toBe("name = demo\nport = 8080\nhost = a\nhost = b\n");
    expect(first.files.at(-1)).toMatchObject({ path: tmp.path("out/app.conf"), operation: "created", kind: "file" });
  });

  test("a changed variable shows a unified diff of just the changed lines", async () => {
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i}`).join("\n");
    const tmp = sandbox({ "t.mustache": `${lines}\nport = {{ port }}\n${lines}\n` });
    await converge(tmp.dir, "- template: { src: t.mustache, dest: out.txt, vars: { port: 1 } }\n");
    const { preview } = await converge(tmp.dir, "- template: { src: t.mustache, dest: out.txt, vars: { port: 2 } }\n");
    expect(preview.changes[0]).toMatchObject({ kind: "update", reason: "content differs" });
    expect(preview.changes[0]?.diff).toBe(
      `--- ${tmp.path("out.txt")}\n+++ ${tmp.path("out.txt")}\n@@ -18,7 +18,7 @@\n line 17\n line 18\n line 19\n-port = 1\n+port = 2\n line 0\n line 1\n line 2\n`,
    );
  });

  test("newline: crlf writes CRLF line endings", async () => {
    const tmp = sandbox({ "t.mustache": "a\nb\n" });
    await converge(tmp.dir, "- template: { src: t.mustache, dest: out.txt, newline: crlf }\n");
    expect(readFileSync(tmp.path("out.txt"), "utf8")).toBe("a\r\nb\r\n");
  });

  test("an undefined variable and a missing src fail the step and write nothing", async () => {
    const tmp = sandbox({ "t.mustache": "{{ nope }}" });
    const undefinedVar = await runSteps(tmp.dir, "- template: { src: t.mustache, dest: out.txt }\n");
    expect(undefinedVar.errors[0]).toStartWith(`Cannot render "${tmp.path("t.mustache")}": `);
    const missing = await runSteps(tmp.dir, "- template: { src: none.mustache, dest: out.txt }\n");
    expect(missing.errors).toEqual([`Cannot read template "${tmp.path("none.mustache")}": no such file`]);
  });
});
