import { expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { BinaryCatalog, BinaryUnavailableError, hostTarget } from "../../../core/fleet/mooncake_binary.ts";
import { tempDirPerTest } from "../../helpers/temp_dir.ts";

const tempDir = tempDirPerTest();
const sha = (text: string) => createHash("sha256").update(text).digest("hex");

test("hostTarget spells a host's uname -sm as the dist file names do", () => {
  expect(hostTarget("Linux x86_64\n", false)).toBe("linux-x64");
  expect(hostTarget("Linux aarch64", true)).toBe("linux-arm64-musl");
  expect(hostTarget("Darwin arm64", false)).toBe("darwin-arm64");
  expect(hostTarget("Darwin x86_64", true)).toBe("darwin-x64");
  expect(hostTarget("FreeBSD amd64", false)).toBeUndefined();
  expect(hostTarget("Linux riscv64", false)).toBeUndefined();
});

test("the running binary serves hosts of its own target; another target comes from --dist, checked against SHA256SUMS", async () => {
  const tmp = tempDir({
    "self": "self binary",
    "dist/mooncake-linux-arm64": "arm binary",
    "dist/mooncake-darwin-arm64": "tampered",
    "dist/SHA256SUMS": `${sha("arm binary")}  mooncake-linux-arm64\n${sha("mac binary")}  mooncake-darwin-arm64\n`,
  });
  const catalog = new BinaryCatalog({ path: tmp.path("self"), target: "linux-x64" }, tmp.path("dist"));
  expect(await catalog.binaryFor("linux-x64")).toEqual({ path: tmp.path("self"), sha256: sha("self binary") });
  expect(await catalog.binaryFor("linux-arm64")).toEqual({ path: tmp.path("dist/mooncake-linux-arm64"), sha256: sha("arm binary") });
  await expect(catalog.binaryFor("darwin-arm64")).rejects.toThrow(/does not match its SHA256SUMS/);
  await expect(catalog.binaryFor("linux-x64-musl")).rejects.toThrow(/lists no mooncake-linux-x64-musl/);
});

test("without --dist, a host of another platform (or any host, from source) is refused with what to give", async () => {
  const tmp = tempDir({ self: "x" });
  await expect(new BinaryCatalog({ path: tmp.path("self"), target: "linux-x64" }).binaryFor("darwin-arm64")).rejects.toThrow("The host is darwin-arm64 and this mooncake is built for linux-x64: give --dist DIR");
  await expect(new BinaryCatalog({ path: tmp.path("self"), target: "source" }).binaryFor("linux-x64")).rejects.toBeInstanceOf(BinaryUnavailableError);
});
