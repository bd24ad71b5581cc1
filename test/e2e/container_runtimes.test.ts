import { describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { sandbox } from "../helpers/converge.ts";
import { fakeProgram } from "../helpers/fake_program.ts";
import { oneGpu } from "../helpers/fake_nvidia_smi.ts";
import { fakePackageManagers } from "../helpers/fake_package_managers.ts";
import { fakeSystemctl } from "../helpers/fake_service_manager.ts";
import { runBinary } from "../helpers/run_binary.ts";

const APT = "apt-get DEBIAN_FRONTEND=noninteractive -q -y -o DPkg::Lock::Timeout=300";

function host(config: string, packages: Parameters<typeof fakePackageManagers>[1]) {
  const tmp = sandbox({ "site.yml": config });
  const apt = fakePackageManagers(tmp.dir, packages);
  const systemctl = fakeSystemctl(tmp.dir);
  const run = () => {
    const result = runBinary(["run", "-c", "site.yml", "--log-format", "json", "--no-artifacts"], { cwd: tmp.dir, env: { PATH: `${tmp.dir}:${process.env.PATH}` } });
    const events = result.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l));
    return {
      exitCode: result.exitCode,
      counts: events.find((e) => e.type === "run.finished")?.data.counts,
      errors: events.filter((e) => e.type === "step.finished" && e.data.error).map((e) => e.data.error.message),
    };
  };
  const aptChanges = () => apt.calls().filter((c) => c.startsWith("apt-get") && !c.includes(" -s "));
  return { ...tmp, apt, aptChanges, systemctl, run };
}

describe("docker", () => {
  test("installs docker.io, starts and enables docker.service, and a second run sends nothing", () => {
    const h = host("- docker: {}\n", { available: { "docker.io": "26.1" } });
    expect(h.run().errors).toEqual([]);
    expect(h.aptChanges()).toEqual([`${APT} install docker.io`]);
    expect(h.systemctl.calls().filter((c) => !c.startsWith("is-"))).toEqual(["start docker.service", "enable docker.service"]);
    h.apt.clearCalls();
    h.systemctl.clearCalls();
    expect(h.run().counts).toMatchObject({ changed: 0, ok: 1 });
    expect(h.aptChanges()).toEqual([]);
    expect(h.systemctl.calls().filter((c) => !c.startsWith("is-"))).toEqual([]);
  });
});

describe("nvidia_container_toolkit", () => {
  function toolkitHost(withGpu: boolean, config = "- nvidia_container_toolkit: { config_file: daemon.json }\n") {
    const h = host(config, { available: { "nvidia-container-toolkit": "1.17.3" } });
    if (withGpu) oneGpu(h.dir);
    const ctk = h.path("ctk.log");
    fakeProgram(h.dir, "nvidia-ctk", [
      `printf '%s\\n' "$*" >> '${ctk}'`,
      `printf '{"runtimes": {"nvidia": {"path": "nvidia-container-runtime"}}}' > "\${4#--config=}"`,
    ].join("\n"));
    return { ...h, ctkCalls: () => { try { return readFileSync(ctk, "utf8").trim().split("\n"); } catch { return []; } } };
  }

  test("installs the toolkit, configures docker's nvidia runtime and restarts docker once; a second run does nothing", () => {
    const h = toolkitHost(true);
    expect(h.run().errors).toEqual([]);
    expect(h.aptChanges()).toEqual([`${APT} install nvidia-container-toolkit`]);
    expect(h.ctkCalls()).toEqual([`runtime configure --runtime=docker --config=${h.path("daemon.json")}`]);
    expect(h.systemctl.calls()).toEqual(["restart docker"]);
    h.systemctl.clearCalls();
    expect(h.run().counts).toMatchObject({ changed: 0, ok: 1 });
    expect(h.ctkCalls()).toHaveLength(1);
    expect(h.systemctl.calls()).toEqual([]);
  });

  test("refuses on a host without an NVIDIA GPU unless force: true", () => {
    const h = toolkitHost(false);
    const refused = h.run();
    expect(refused.exitCode).toBe(3);
    expect(refused.errors).toEqual(["No NVIDIA GPU on this host (gpu facts list none): nvidia_container_toolkit refuses to install; set force: true to install anyway"]);
    expect(h.aptChanges()).toEqual([]);
    writeFileSync(h.path("site.yml"), "- nvidia_container_toolkit: { config_file: daemon.json, force: true }\n");
    expect(h.run().errors).toEqual([]);
  });
});

describe("apptainer", () => {
  test("installs apptainer from a local .deb on an air-gapped host", () => {
    const h = host("- apptainer: { deb: apptainer_1.3.4_amd64.deb }\n", {});
    writeFileSync(h.path("apptainer_1.3.4_amd64.deb"), "Package: apptainer\nVersion: 1.3.4\n");
    expect(h.run().errors).toEqual([]);
    expect(h.aptChanges()).toEqual([`${APT} install ${h.path("apptainer_1.3.4_amd64.deb")}`]);
    expect(h.apt.installed()).toEqual({ apptainer: "1.3.4" });
  });
});
