// Loaded before every test file (bunfig.toml): hooks that must run for every test of the suite.
import { afterEach } from "bun:test";
import { removeSandboxes } from "./helpers/converge.ts";

afterEach(removeSandboxes);
