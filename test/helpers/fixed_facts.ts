/** Facts of an imaginary Linux machine, so plans in tests do not depend on the host. */
export const FIXED_FACTS = Object.freeze({
  os: "linux",
  arch: "amd64",
  hostname: "testhost",
  username: "tester",
  user_home: "/home/tester",
  cpu_cores: 4,
  memory_total_mb: 8192,
  distribution: "debian",
  distribution_version: "12",
  distribution_major: "12",
  package_manager: "apt",
  linux: true,
  darwin: false,
  macos: false,
  windows: false,
});
