/**
 * install.sh as published beside the binaries: `releaseUrl` becomes its default download
 * address (the line `default_base_url=""`), so piping it to sh needs no MOONCAKE_BASE_URL.
 */
export function releaseInstaller(script: string, releaseUrl: string): string {
  const line = 'default_base_url=""';
  if (!script.includes(line)) throw new Error(`install.sh has no ${line} line to fill in`);
  return releaseUrl === "" ? script : script.replace(line, `default_base_url="${releaseUrl.replace(/[\\"$`]/g, "\\$&")}"`);
}
