import { describe, expect, test } from "bun:test";
import { inThrowawayRoot, throwawayRootUnavailable } from "../helpers/throwaway_root.ts";

/** Each config is run with --dry-run, then for real, inside a throwaway root; nothing may go. */
const CONFIGS: Record<string, string> = {
  "glob-through-link": "- file: { path: \"./lnk/*\", state: absent, allow_glob: true, force: true }\n",
  "etc-glob": "- file: { path: \"/etc/*\", state: absent, allow_glob: true, force: true }\n",
  "homes-glob": "- file: { path: \"/home/*\", state: absent, allow_glob: true, force: true }\n",
  "home-glob": "- file: { path: \"~/*\", state: absent, allow_glob: true, force: true }\n",
  "sync-into-linked-etc": "- sync: { src: src, dest: lnk/etc, delete: true, engine: builtin }\n",
  "sync-into-home": "- sync: { src: src, dest: \"~/\", delete: true, engine: builtin }\n",
  "config-directory": "- file: { path: ., state: absent, force: true }\n",
};

const SCRIPT = `
cd /work/site
for c in ${Object.keys(CONFIGS).join(" ")}; do
  HOME=/root /opt/mc/mooncake run -c $c.yml --raw --no-artifacts --dry-run > /tmp/$c.dry 2>&1; echo "$c dry-run exit $?"
  grep -o 'Refusing to [^(]*' /tmp/$c.dry | head -1
  HOME=/root /opt/mc/mooncake run -c $c.yml --raw --no-artifacts > /tmp/$c.run 2>&1; echo "$c run exit $?"
done
echo "left: $(ls -A /etc /root /home/alice /work/site | tr '\\n' ' ')"
`;

describe.skipIf(throwawayRootUnavailable !== undefined)("hostile paths, in a throwaway root", () => {
  test("globs and sync delete through links to /, /etc, the homes and the config's directory are refused in dry-run and run", () => {
    const files: Record<string, string> = {
      "etc/passwd": "root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n",
      "etc/hostname": "box\n",
      "root/.profile": "p\n",
      "home/alice/notes.txt": "n\n",
      "work/site/src/a.txt": "a\n",
    };
    for (const [name, yaml] of Object.entries(CONFIGS)) files[`work/site/${name}.yml`] = yaml;
    const result = inThrowawayRoot({ files, links: { "work/site/lnk": "/" } }, SCRIPT);
    expect(result.stderr).toBe("");
    const lines = result.stdout.trim().split("\n");
    for (const name of Object.keys(CONFIGS)) {
      expect(lines).toContain(`${name} dry-run exit 3`);
      expect(lines).toContain(`${name} run exit 3`);
      expect(lines[lines.indexOf(`${name} dry-run exit 3`) + 1]).toStartWith("Refusing to ");
    }
    expect(lines.at(-1)).toBe("left: /etc: hostname passwd  /home/alice: notes.txt  /root: .profile  /work/site: config-directory.yml etc-glob.yml glob-through-link.yml home-glob.yml homes-glob.yml lnk src sync-into-home.yml sync-into-linked-etc.yml");
  }, 120_000);
});
if (throwawayRootUnavailable) test.skip(`hostile paths: ${throwawayRootUnavailable}`, () => {});
