/**
 * `tuntap info`: everything about TUN/TAP devices, as text or as JSON with a
 * stable schema (every key is always present; `null` when there is no value).
 *
 * ```
 * tuntap [ -j [ -p ] ] info [ [ dev ] NAME ] [ mode { tun | tap } ]
 * ```
 *
 * @module
 */

import { flagWords, holderText } from "../device/_device.ts";
import { inspectTunTaps, type TunTapInspection } from "../device/inspect.ts";
import type { ListTunTapsOptions } from "../device/list.ts";
import type { TunTapMode } from "../device/types.ts";
import type { Command } from "./_context.ts";
import {
  type CommandSpec,
  eachWord,
  garbage,
  type Keyword,
  matches,
  parseMode,
} from "./_grammar.ts";
import { IpJsonWriter } from "./_json.ts";
import { deviceLine } from "./_show.ts";
import { attempt, interruptedOption } from "./_io.ts";

/** The words of a device filter, `[ [ dev ] NAME ] [ mode { tun | tap } ]` (info, monitor). */
export const FILTER_KEYWORDS: readonly Keyword[] = [
  { word: "mode", match: "prefix", value: "mode" },
  { word: "dev", match: "exact", value: "tuntap" },
  { word: "name", match: "exact", value: "tuntap" },
];

/** The grammar of `info`. */
export const spec: CommandSpec = {
  extension: true,
  names: ["info"],
  usage: ["info [ [ dev ] NAME ] [ mode { tun | tap } ]"],
  summary:
    "everything about devices: flags, owner, queues, link state, MAC, master, addresses, namespace, holders",
  keywords: FILTER_KEYWORDS,
  operand: "tuntap",
};

/** The version of the JSON schema of `info`, in README's "info JSON schema". */
export const INFO_SCHEMA_VERSION = 1;

/**
 * Parses `[ [dev] NAME ] [ mode tun|tap ]`.
 *
 * @param words The words after `info`.
 * @returns The filter.
 */
export function parseInfoArgs(words: readonly string[]): { name?: string; mode?: TunTapMode } {
  const args: { name?: string; mode?: TunTapMode } = {};
  eachWord(words, (word, value) => {
    if (matches(word, "mode")) {
      args.mode = parseMode(value(), args.mode);
      return;
    }
    const name = word === "dev" || word === "name" ? value() : word;
    if (args.name !== undefined) throw garbage("dev", name);
    args.name = name;
  });
  return args;
}

function renderText(devices: readonly TunTapInspection[], color: string | undefined): string {
  let out = "";
  for (const d of devices) {
    const range = d.minMtu !== undefined && d.maxMtu !== undefined
      ? ` (${d.minMtu}-${d.maxMtu})`
      : "";
    out += `${deviceLine(d, color)}\n`;
    out += `    index ${d.index} mtu ${d.mtu}${range} txqueuelen ${d.txQueueLen}`;
    if (d.queues !== undefined) out += ` queues ${d.queues} disabled ${d.disabledQueues ?? 0}`;
    out += `\n    state ${d.operstate} carrier ${d.carrier ? "on" : "off"} link <${
      d.linkFlags.join(",")
    }>`;
    if (d.master !== undefined) out += ` master ${d.master}`;
    out += `\n    netns ${d.netns ?? `net:[${d.netnsInode}]`}`;
    if (d.mac !== undefined) out += ` address ${d.mac}`;
    out += "\n";
    for (const a of d.addresses) {
      const peer = a.peer === undefined
        ? `/${a.prefixLength}`
        : ` peer ${a.peer}/${a.prefixLength}`;
      out += `    ${a.family} ${a.address}${peer} scope ${a.scope}${
        a.flags.map((f) => ` ${f}`).join("")
      }\n`;
    }
    out += `    processes${
      d.processes.length === 0 ? " none" : ` ${d.processes.map(holderText).join(" ")}`
    }\n`;
  }
  return out;
}

/**
 * `info` as JSON: an array with one object per device, keys in a fixed
 * order, every key present.
 *
 * @param devices The devices.
 * @param pretty Whether to indent as `-pretty` does.
 * @returns The text.
 */
export function renderInfoJson(devices: readonly TunTapInspection[], pretty: boolean): string {
  const w = new IpJsonWriter(pretty).startArray();
  for (const d of devices) {
    w.startObject()
      .name("schema").number(INFO_SCHEMA_VERSION)
      .name("ifname").string(d.name)
      .name("ifindex").number(d.index)
      .name("mode").string(d.mode)
      .name("flags").strings(flagWords(d))
      .name("pi").bool(d.pi)
      .name("vnet_hdr").bool(d.vnetHdr)
      .name("multi_queue").bool(d.multiQueue)
      .name("persist").bool(d.persist)
      .name("owner").optionalNumber(d.owner)
      .name("group").optionalNumber(d.group)
      .name("queues").optionalNumber(d.queues)
      .name("disabled_queues").optionalNumber(d.disabledQueues)
      .name("mtu").number(d.mtu)
      .name("min_mtu").optionalNumber(d.minMtu)
      .name("max_mtu").optionalNumber(d.maxMtu)
      .name("txqlen").number(d.txQueueLen)
      .name("link_flags").strings(d.linkFlags)
      .name("up").bool(d.up)
      .name("operstate").string(d.operstate)
      .name("carrier").bool(d.carrier)
      .name("address").optionalString(d.mac)
      .name("master").optionalString(d.master)
      .name("netns").optionalString(d.netns ?? undefined)
      .name("netns_inode").number(d.netnsInode)
      .name("addresses").startArray();
    for (const a of d.addresses) {
      w.startObject().name("family").string(a.family).name("local").string(a.address)
        .name("prefixlen").number(a.prefixLength).name("peer").optionalString(a.peer)
        .name("broadcast").optionalString(a.broadcast).name("scope").string(a.scope)
        .name("label").optionalString(a.label).name("flags").strings(a.flags)
        .name("valid_life_time").optionalNumber(a.validLifetime)
        .name("preferred_life_time").optionalNumber(a.preferredLifetime).endObject();
    }
    w.endArray().name("processes").startArray();
    for (const p of d.processes) {
      w.startObject().name("name").optionalString(p.comm).name("pid").number(p.pid).endObject();
    }
    w.endArray().endObject();
  }
  return w.endArray().finish();
}

/** The `info` subcommand. */
export const command: Command = {
  spec,
  run(ctx, words) {
    const filter: ListTunTapsOptions = {
      ...parseInfoArgs(words),
      ...interruptedOption(ctx),
    };
    let status = 0;
    const failed = attempt(ctx, () => {
      const devices = inspectTunTaps(filter);
      if (filter.name !== undefined && devices.length === 0) {
        // As `ip addr show dev NAME` reports a device that is not there.
        ctx.err(`Device "${filter.name}" does not exist.\n`);
        status = 1;
        return;
      }
      ctx.out.write(
        ctx.options.json
          ? renderInfoJson(devices, ctx.options.pretty)
          : renderText(devices, ctx.color),
      );
    });
    return failed || status;
  },
};
