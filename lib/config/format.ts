/**
 * Writing a config out: as YAML or JSON (files `apply` reads), as
 * systemd-networkd `.netdev`/`.network` files, or as an `ip -batch` file.
 * One renderer per format.
 *
 * @module
 */

import packageConfig from "../../deno.json" with { type: "json" };
import { addressKey } from "./_addresses.ts";
import type { DeviceConfig, TunTapConfig } from "./types.ts";

/** Where editors find the JSON Schema of this version's format. */
const SCHEMA_URL = `https://jsr.io/@netdev/tuntap/${packageConfig.version}/config.schema.json`;

/** The formats of {@linkcode formatConfig}. */
export type ConfigFormat = "yaml" | "json" | "networkd" | "ip";

/** A rendered config: files (one for most formats) and what the format could not say. */
export interface FormattedConfig {
  /** File names and contents; a single unnamed file has the name "". */
  files: { name: string; text: string }[];
  /** Settings left out, one sentence each (`tun0: networkd cannot express netns ns1`). */
  omitted: string[];
}

/** The file's keys, in the order they are written, with the field each comes from. */
const KEY_ORDER: readonly (readonly [string, keyof DeviceConfig])[] = [
  ["name", "name"],
  ["mode", "mode"],
  ["owner", "owner"],
  ["group", "group"],
  ["pi", "pi"],
  ["vnet_hdr", "vnetHdr"],
  ["multi_queue", "multiQueue"],
  ["netns", "netns"],
  ["up", "up"],
  ["mtu", "mtu"],
  ["txqueuelen", "txQueueLen"],
  ["mac", "mac"],
  ["master", "master"],
  ["addresses", "addresses"],
];

/** A scalar as YAML: plain when it cannot be misread, double-quoted otherwise. */
function yamlScalar(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "string") return String(value);
  const plain = /^[A-Za-z_][A-Za-z0-9_.\/-]*$/.test(value) || /^[0-9][0-9.]*\/[0-9]+$/.test(value);
  const ambiguous = /^(true|false|null|yes|no|on|off|y|n|~)$/i.test(value);
  return plain && !ambiguous ? value : JSON.stringify(value);
}

/** The file's mapping of a device (keys as the file spells them). */
function fileDevice(device: DeviceConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of KEY_ORDER) {
    const value = device[field];
    if (value === undefined) continue;
    out[key] = field === "addresses"
      ? device.addresses?.map((a) =>
        a.peer === undefined ? a.address : { address: a.address, peer: a.peer }
      )
      : value;
  }
  return out;
}

function yaml(config: TunTapConfig): string {
  let out = `# yaml-language-server: $schema=${SCHEMA_URL}\n`;
  out += "version: 1\n";
  if (config.devices.length === 0) return `${out}devices: []\n`;
  out += "devices:\n";
  for (const device of config.devices) {
    let first = true;
    for (const [key, value] of Object.entries(fileDevice(device))) {
      const lead = first ? "  - " : "    ";
      first = false;
      if (!Array.isArray(value)) {
        out += `${lead}${key}: ${yamlScalar(value)}\n`;
        continue;
      }
      if (value.length === 0) {
        out += `${lead}${key}: []\n`;
        continue;
      }
      out += `${lead}${key}:\n`;
      for (const item of value as (string | { address: string; peer: string })[]) {
        out += typeof item === "string"
          ? `      - ${yamlScalar(item)}\n`
          : `      - { address: ${yamlScalar(item.address)}, peer: ${yamlScalar(item.peer)} }\n`;
      }
    }
  }
  return out;
}

function json(config: TunTapConfig): string {
  return `${JSON.stringify({ version: 1, devices: config.devices.map(fileDevice) }, null, 2)}\n`;
}

const yesNo = (value: boolean | undefined) => value ? "yes" : "no";

function networkd(config: TunTapConfig): FormattedConfig {
  const files: FormattedConfig["files"] = [];
  const omitted: string[] = [];
  for (const d of config.devices) {
    if (d.netns !== undefined) {
      omitted.push(`${d.name}: networkd cannot express netns ${d.netns} (left out)`);
    }
    if (d.txQueueLen !== undefined) {
      omitted.push(
        `${d.name}: networkd cannot express txqueuelen ${d.txQueueLen} (a .link file's TransmitQueueLength= can)`,
      );
    }
    let netdev = `[NetDev]\nName=${d.name}\nKind=${d.mode}\n`;
    if (d.mtu !== undefined) netdev += `MTUBytes=${d.mtu}\n`;
    if (d.mac !== undefined) netdev += `MACAddress=${d.mac}\n`;
    netdev += `\n[${d.mode === "tun" ? "Tun" : "Tap"}]\n`;
    if (d.owner !== undefined) netdev += `User=${d.owner}\n`;
    if (d.group !== undefined) netdev += `Group=${d.group}\n`;
    netdev += `PacketInfo=${yesNo(d.pi)}\nVNetHeader=${yesNo(d.vnetHdr)}\nMultiQueue=${
      yesNo(d.multiQueue)
    }\n`;
    let network = `[Match]\nName=${d.name}\n`;
    if (d.up !== undefined) network += `\n[Link]\nActivationPolicy=${d.up ? "up" : "down"}\n`;
    network += "\n[Network]\nLinkLocalAddressing=no\n";
    if (d.master) network += `Bridge=${d.master}\n`;
    const addresses = d.addresses ?? [];
    for (const a of addresses) if (a.peer === undefined) network += `Address=${a.address}\n`;
    for (const a of addresses) {
      if (a.peer !== undefined) network += `\n[Address]\nAddress=${a.address}\nPeer=${a.peer}\n`;
    }
    files.push({ name: `10-tuntap-${d.name}.netdev`, text: netdev });
    files.push({ name: `10-tuntap-${d.name}.network`, text: network });
  }
  return { files, omitted };
}

function ipBatch(config: TunTapConfig): FormattedConfig {
  const omitted: string[] = [];
  let out = "";
  for (const d of config.devices) {
    if (d.netns !== undefined) {
      omitted.push(
        `${d.name}: an ip batch runs in one namespace: run it with "ip -n ${d.netns} -batch FILE"`,
      );
    }
    let add = `tuntap add dev ${d.name} mode ${d.mode}`;
    if (d.owner !== undefined) add += ` user ${d.owner}`;
    if (d.group !== undefined) add += ` group ${d.group}`;
    if (d.pi) add += " pi";
    if (d.vnetHdr) add += " vnet_hdr";
    if (d.multiQueue) add += " multi_queue";
    out += `${add}\n`;
    let link = "";
    if (d.mtu !== undefined) link += ` mtu ${d.mtu}`;
    if (d.txQueueLen !== undefined) link += ` txqueuelen ${d.txQueueLen}`;
    if (d.mac !== undefined) link += ` address ${d.mac}`;
    if (d.master) link += ` master ${d.master}`;
    if (link !== "") out += `link set dev ${d.name}${link}\n`;
    for (const a of d.addresses ?? []) {
      const key = addressKey(a);
      out += `address add ${key} dev ${d.name}\n`;
    }
    if (d.up !== undefined) out += `link set dev ${d.name} ${d.up ? "up" : "down"}\n`;
  }
  return { files: [{ name: "", text: out }], omitted };
}

/**
 * Renders a config: `yaml` and `json` give a file `apply` reads; `networkd`
 * gives a `.netdev` and a `.network` file per device (namespaces and
 * `txqueuelen` cannot be said there: they are listed in `omitted`); `ip`
 * gives an `ip -batch` file that makes the devices with iproute2.
 *
 * @example Usage
 * ```ts
 * import { formatConfig } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * const config = { version: 1 as const, devices: [{ name: "tun0", mode: "tun" as const, mtu: 1400 }] };
 * assert.equal(
 *   formatConfig(config, "ip").files[0]?.text,
 *   "tuntap add dev tun0 mode tun\nlink set dev tun0 mtu 1400\n",
 * );
 * ```
 *
 * @param config The config.
 * @param format The format.
 * @returns The files, and what could not be said.
 */
export function formatConfig(config: TunTapConfig, format: ConfigFormat): FormattedConfig {
  switch (format) {
    case "yaml":
      return { files: [{ name: "", text: yaml(config) }], omitted: [] };
    case "json":
      return { files: [{ name: "", text: json(config) }], omitted: [] };
    case "networkd":
      return networkd(config);
    case "ip":
      return ipBatch(config);
  }
}
