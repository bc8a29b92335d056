/**
 * Settling many new devices at once: their link settings (`RTM_SETLINK`)
 * and addresses (`RTM_NEWADDR`) sent through one rtnetlink socket, several
 * requests per `sendto`, with one acknowledgement each. The devices were
 * just made by this process: they are looked up once, by name, in one
 * exchange, and each is named by the index found.
 *
 * @module
 */

import { parseInetPrefix } from "../address/_inet.ts";
import { word } from "../_boundary.ts";
import { ENODEV } from "../_errno.ts";
import { HINTS } from "../_hints.ts";
import { parseLinkLayer } from "../device/_device.ts";
import { withNetns } from "../netns/_netns.ts";
import {
  type AddressChange,
  AF_INET,
  AF_INET6,
  type LinkChange,
  type NetlinkAck,
  type NetlinkWriter,
  RTM_NEWADDR,
  RTM_SETLINK,
  writeAddressChange,
  writeLinkChange,
} from "../netlink/mod.ts";
import { kernelError, Rtnl } from "../transport/_rtnl.ts";
import { SyscallError } from "../transport/_syscall.ts";

/** What to set on one device. */
export interface Settlement {
  /** The device. */
  name: string;
  /** Link settings (absent: left alone). */
  link: { mtu?: number; txQueueLen?: number; mac?: string; master?: string | null; up?: boolean };
  /** Addresses to add (`ADDR/LEN`, with a peer). */
  addresses: { address: string; peer?: string }[];
}

const RT_SCOPE_HOST = 254;

/** An `RTM_NEWADDR` of an address a config has checked. */
function addressChange(index: number, text: string, peerText?: string): AddressChange {
  const local = parseInetPrefix(text);
  const peer = peerText === undefined ? undefined : parseInetPrefix(peerText);
  if (local === undefined || (peerText !== undefined && peer === undefined)) {
    throw new SyscallError(22, "RTM_NEWADDR", { detail: `"${text}" is not an address` });
  }
  // As ip: the peer's prefix length (when it has one), else the local one.
  const prefixLength = peer && peerText?.includes("/") ? peer.prefixLength : local.prefixLength;
  const change: AddressChange = {
    family: local.version === 4 ? AF_INET : AF_INET6,
    index,
    local: local.bytes,
    prefixLength,
    scope: local.version === 4 && local.bytes[0] === 127 ? RT_SCOPE_HOST : 0,
  };
  if (peer) change.peer = peer.bytes;
  return change;
}

type Request =
  | { owner: number; kind: "link"; change: LinkChange }
  | { owner: number; kind: "address"; change: AddressChange; text: string };

/**
 * Sets the link settings, then the addresses, of each device; `up` goes
 * with the other link settings (an address can be added to a device that
 * is up or down alike).
 *
 * @param items The devices.
 * @param netns Their namespace.
 * @returns Per device, in order: `undefined`, or the first failure (worded).
 */
export function settleAll(items: readonly Settlement[], netns?: string): (unknown | undefined)[] {
  const failures: unknown[] = items.map(() => undefined);
  if (items.length === 0) return failures;
  withNetns(netns, () => {
    using rtnl = Rtnl.open();
    const links = rtnl.getLinks(items.map((item) => ({ name: item.name })));
    const masterNames = [
      ...new Set(items.flatMap((i) => typeof i.link.master === "string" ? [i.link.master] : [])),
    ];
    const masters = new Map(
      rtnl.getLinks(masterNames.map((name) => ({ name }))).map((l, i) => [masterNames[i], l]),
    );
    const requests: Request[] = [];
    items.forEach((item, owner) => {
      const fail = (action: string, error: unknown) => {
        failures[owner] ??= word(action, HINTS.setLink, { name: item.name }, error);
      };
      const link = links[owner];
      if (link === undefined) {
        return fail(
          `Cannot change device "${item.name}"`,
          new SyscallError(ENODEV, "RTM_GETLINK", {
            detail: `Cannot find device "${item.name}"`,
          }),
        );
      }
      const { mtu, txQueueLen, mac, master, up } = item.link;
      const change: LinkChange = { index: link.index };
      if (mtu !== undefined) change.mtu = mtu;
      if (txQueueLen !== undefined) change.txQueueLen = txQueueLen;
      if (mac !== undefined) change.address = parseLinkLayer(mac) as Uint8Array;
      if (up !== undefined) change.up = up;
      if (master === null) change.master = 0;
      else if (master !== undefined) {
        const found = masters.get(master);
        if (found === undefined) {
          return fail(
            `Cannot change device "${item.name}"`,
            new SyscallError(ENODEV, "RTM_GETLINK", { detail: `Cannot find device "${master}"` }),
          );
        }
        change.master = found.index;
      }
      if (Object.keys(change).length > 1) requests.push({ owner, kind: "link", change });
      for (const { address, peer } of item.addresses) {
        try {
          requests.push({
            owner,
            kind: "address",
            change: addressChange(link.index, address, peer),
            text: address,
          });
        } catch (error) {
          fail(`Cannot add address ${address} to "${item.name}"`, error);
        }
      }
    });
    const acks: NetlinkAck[] = rtnl.requestAll(
      requests,
      (writer: NetlinkWriter, seq, request) =>
        request.kind === "link"
          ? writeLinkChange(writer, seq, request.change)
          : writeAddressChange(writer, seq, "add", request.change),
    );
    requests.forEach((request, i) => {
      const ack = acks[i] as NetlinkAck;
      if (ack.errno === 0) return;
      const name = (items[request.owner] as Settlement).name;
      const action = request.kind === "link"
        ? `Cannot change device "${name}"`
        : `Cannot add address ${request.text} to "${name}"`;
      failures[request.owner] ??= word(
        action,
        request.kind === "link" ? HINTS.setLink : undefined,
        { name },
        kernelError(request.kind === "link" ? RTM_SETLINK : RTM_NEWADDR, ack),
      );
    });
  });
  return failures;
}
