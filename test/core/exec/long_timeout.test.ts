import { expect, test } from "bun:test";
import { setLongTimeout } from "../../../core/exec/long_timeout.ts";

test("a delay past setTimeout's 2^31-1 ms limit does not fire at once", async () => {
  let fired = false;
  const cancel = setLongTimeout(() => (fired = true), 2 ** 31 + 1000);
  await Bun.sleep(100);
  cancel();
  expect(fired).toBe(false);
});

test("a short delay fires, and a cancelled one does not", async () => {
  const fired: string[] = [];
  setLongTimeout(() => fired.push("kept"), 1);
  setLongTimeout(() => fired.push("cancelled"), 1)();
  await Bun.sleep(50);
  expect(fired).toEqual(["kept"]);
});
