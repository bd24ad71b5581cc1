import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { sandbox } from "../helpers/converge.ts";
import { runSteps } from "../helpers/run_steps.ts";

/** A raw HTTP server that announces 100 bytes and closes the connection after 50. */
let server: Bun.TCPSocketListener<undefined>;
beforeAll(() => {
  server = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      data(socket) {
        socket.end(`HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n${"x".repeat(50)}`);
      },
    },
  });
});
afterAll(() => server.stop(true));

test("a download cut short of its Content-Length fails and installs nothing", async () => {
  const tmp = sandbox();
  const url = `http://127.0.0.1:${server.port}/cut`;
  const run = await runSteps(tmp.dir, `- download: { url: "${url}", dest: out.bin, retries: 1 }\n`);
  expect(run.status).toBe("failed");
  expect(run.errors[0]).toStartWith(`Cannot download "${url}": `);
  expect(existsSync(tmp.path("out.bin"))).toBe(false);
  expect(readdirSync(tmp.dir)).toEqual(["site.yml"]);
});
