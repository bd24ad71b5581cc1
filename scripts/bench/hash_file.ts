// Prints the sha256 of a file through mooncake's own hashing (core/fs/hash_file.ts), like sha256sum.
import { sha256File } from "../../core/fs/hash_file.ts";

const path = process.argv[2]!;
console.log(`${await sha256File(path)}  ${path}`);
