import { chmodSync, mkdirSync, writeFileSync } from "node:fs";

/**
 * A `sudo` in `dir/bin` that appends its arguments to `dir/sudo.argv`, stores a password read
 * with -S in `dir/sudo.password`, and runs the command as the same user. Returns a PATH with it first.
 */
export function fakeSudo(dir: string): string {
  const script = `#!/bin/sh
printf '%s\\n' "$*" >> "${dir}/sudo.argv"
password=no
while [ $# -gt 0 ]; do
  case "$1" in
    -S) password=yes; shift ;;
    -p|-u) shift 2 ;;
    -n|-A|--preserve-env=*) shift ;;
    --) shift; break ;;
    *) break ;;
  esac
done
if [ "$password" = yes ]; then IFS= read -r pw; printf '%s\\n' "$pw" > "${dir}/sudo.password"; fi
exec "$@"
`;
  mkdirSync(`${dir}/bin`, { recursive: true });
  writeFileSync(`${dir}/bin/sudo`, script);
  chmodSync(`${dir}/bin/sudo`, 0o755);
  return `${dir}/bin:${process.env.PATH}`;
}
