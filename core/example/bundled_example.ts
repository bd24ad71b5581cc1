// The files of examples/, embedded in the binary as text at build time so `mooncake example`
// works from any directory with nothing beside the binary. test/core/example checks this list
// against examples/ on disk.
import site from "../../examples/site.yml" with { type: "text" };
import checks from "../../examples/tasks/checks.yml" with { type: "text" };
import serverConf from "../../examples/templates/server.conf.mustache" with { type: "text" };
import siteVars from "../../examples/vars/site.yml" with { type: "text" };

/** Path relative to the example directory -> content. `site.yml` is the config to run. */
export const BUNDLED_EXAMPLE: Readonly<Record<string, string>> = {
  "site.yml": site as string,
  "tasks/checks.yml": checks as string,
  "templates/server.conf.mustache": serverConf,
  "vars/site.yml": siteVars as string,
};
