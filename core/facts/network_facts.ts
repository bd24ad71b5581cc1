import { networkInterfaces } from "node:os";
import type { FactGroup } from "./fact_group.ts";
import { readIfExists } from "./basic_facts.ts";
import { stdoutOf } from "./probe.ts";

export interface InterfaceFacts {
  name: string;
  mac: string;
  mtu: number;
  up: boolean;
  /** CIDR notation, IPv4 then IPv6. */
  addresses: string[];
}

export interface NetworkFacts {
  interfaces: InterfaceFacts[];
  /** Addresses of every interface except loopback. */
  ip_addresses: string[];
  default_gateway: string;
  default_interface: string;
  dns_servers: string[];
}

/** Interfaces from the runtime, the default route from /proc/net/route (`route` on macOS), DNS from resolv.conf. */
export const networkGroup: FactGroup = {
  name: "network",
  probes: (platform) => (platform === "darwin" ? [{ argv: ["route", "-n", "get", "default"] }] : []),
  compute({ platform, results }) {
    const route = platform === "linux" ? parseProcRoute(readIfExists("/proc/net/route") ?? "") : parseRouteGet(stdoutOf(results[0]));
    const interfaces = listInterfaces(platform);
    return {
      interfaces,
      ip_addresses: interfaces.filter((i) => i.name !== "lo" && !i.name.startsWith("lo0")).flatMap((i) => i.addresses.map((a) => a.split("/")[0]!)),
      default_gateway: route.gateway,
      default_interface: route.iface,
      dns_servers: parseResolvConf(readIfExists("/etc/resolv.conf") ?? ""),
    } satisfies NetworkFacts;
  },
};

function listInterfaces(platform: string): InterfaceFacts[] {
  return Object.entries(networkInterfaces()).map(([name, addresses = []]) => {
    const sys = (file: string) => (platform === "linux" ? readIfExists(`/sys/class/net/${name}/${file}`)?.trim() : undefined);
    const ordered = [...addresses].sort((a, b) => (a.family === b.family ? 0 : a.family === "IPv4" ? -1 : 1));
    return {
      name,
      mac: addresses[0]?.mac ?? sys("address") ?? "",
      mtu: Number(sys("mtu") ?? 0),
      up: sys("operstate") === undefined ? addresses.length > 0 : sys("operstate") !== "down",
      addresses: ordered.map((a) => a.cidr ?? a.address),
    };
  });
}

/** The default route of /proc/net/route: destination 0, gateway as little-endian hex. */
export function parseProcRoute(text: string): { gateway: string; iface: string } {
  for (const line of text.split("\n").slice(1)) {
    const [iface, destination, gateway] = line.trim().split(/\s+/);
    if (destination !== "00000000" || !iface || !gateway) continue;
    const bytes = gateway.match(/../g)!.map((h) => parseInt(h, 16)).reverse();
    return { gateway: bytes.join("."), iface };
  }
  return { gateway: "", iface: "" };
}

function parseRouteGet(text: string): { gateway: string; iface: string } {
  return {
    gateway: /gateway:\s*(\S+)/.exec(text)?.[1] ?? "",
    iface: /interface:\s*(\S+)/.exec(text)?.[1] ?? "",
  };
}

export function parseResolvConf(text: string): string[] {
  return [...text.matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => m[1]!);
}
