/**
 * The plan: what turns the state found into the state a config wants. Pure:
 * it reads nothing and changes nothing.
 *
 * @module
 */

import { addressKey, isLinkLocal } from "./_addresses.ts";
import type {
  CurrentDevice,
  CurrentNamespace,
  CurrentState,
  DeviceConfig,
  Plan,
  PlanAction,
  SettingChange,
  TunTapConfig,
} from "./types.ts";

/** Options of {@linkcode planConfig}. */
export interface PlanConfigOptions {
  /** Delete TUN/TAP devices the config does not list, in the namespaces it names. */
  prune?: boolean;
  /** Re-create or delete devices a process holds (cutting it off). */
  force?: boolean;
}

const ns = (netns: string | undefined): string => netns ?? "";

/** The link settings a config manages only when it gives them. */
const LINK_KEYS = [
  ["mtu", "mtu"],
  ["txqueuelen", "txQueueLen"],
  ["mac", "mac"],
  ["master", "master"],
  ["up", "up"],
] as const;

/** The device settings a config always manages: absent means `ip tuntap add`'s default. */
const DEVICE_SETTINGS = [
  ["owner", "owner"],
  ["group", "group"],
  ["pi", "pi"],
  ["vnet_hdr", "vnetHdr"],
] as const;

function ownerOf(device: DeviceConfig, key: "owner" | "group"): number | null {
  const value = device[key];
  if (value === undefined) return null;
  if (typeof value === "number") return value;
  if (/^\d+$/.test(value)) return Number(value);
  throw new TypeError(
    `Cannot plan "${device.name}": ${key} "${value}" is a name; resolve it to a number first (applyConfig does)`,
  );
}

function deviceValue(device: DeviceConfig, key: string): unknown {
  switch (key) {
    case "owner":
    case "group":
      return ownerOf(device, key);
    case "pi":
      return device.pi ?? false;
    case "vnet_hdr":
      return device.vnetHdr ?? false;
  }
  return undefined;
}

function normalMac(mac: string | undefined): string | null {
  return mac === undefined ? null : mac.toLowerCase().replaceAll("-", ":");
}

function linkValue(device: DeviceConfig, field: (typeof LINK_KEYS)[number][1]): unknown {
  if (field === "mac") return normalMac(device.mac);
  if (field === "master") return device.master ?? null;
  return device[field] ?? null;
}

/** The settings of `want` that differ from `have` (a device found, or the defaults). */
function differences(want: DeviceConfig, have: CurrentDevice | undefined): SettingChange[] {
  const changes: SettingChange[] = [];
  for (const [key] of DEVICE_SETTINGS) {
    const to = deviceValue(want, key);
    const from = have === undefined ? deviceValue({ name: "", mode: want.mode }, key) : deviceValue(
      have,
      key,
    );
    if (from !== to) changes.push({ key, from, to });
  }
  for (const [key, field] of LINK_KEYS) {
    if (want[field] === undefined) continue;
    const to = linkValue(want, field);
    const from = have === undefined ? null : linkValue(have, field);
    if (from !== to) changes.push({ key, from, to });
  }
  if (want.addresses !== undefined) {
    const wanted = want.addresses.map(addressKey);
    const present = (have?.addresses ?? []).map(addressKey).filter((key) =>
      !isLinkLocal(key) || wanted.includes(key)
    );
    const added = wanted.filter((key) => !present.includes(key));
    const removed = present.filter((key) => !wanted.includes(key));
    if (added.length > 0 || removed.length > 0) {
      changes.push({ key: "addresses", from: removed, to: added });
    }
  }
  return changes;
}

function describe(changes: readonly SettingChange[]): string {
  return changes.map(({ key, from, to }) => {
    if (key === "addresses") {
      const words = [
        ...(to as string[]).map((a) => `+${a}`),
        ...(from as string[]).map((a) => `-${a}`),
      ];
      return `addresses ${words.join(" ")}`;
    }
    const text = (v: unknown) => v === null ? "none" : String(v);
    return `${key} ${text(from)} -> ${text(to)}`;
  }).join(", ");
}

/**
 * Plans how to make the host match a config: the actions in order (deletes,
 * moves, re-creates, creates, changes; file order within each), each with
 * its reason and the settings it changes.
 *
 * - A device that is missing is created (a TUN/TAP device of the name and
 *   mode in the caller's namespace that the config does not list there is
 *   moved instead, for a device the config puts in another namespace).
 * - A different mode or `multi_queue`, or an owner or group to remove
 *   (the kernel cannot unset them), means a re-create; so does any change
 *   of owner, group, `pi` or `vnet_hdr` of a device a process holds. A
 *   re-create keeps the link settings the config does not manage.
 * - Re-creating or deleting a device a process holds is `refused` unless
 *   `force`.
 * - With `prune`, TUN/TAP devices the config does not list are deleted,
 *   in the namespaces the config names (and only TUN/TAP devices).
 *
 * @example Usage
 * ```ts
 * import { planConfig } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * const plan = planConfig(
 *   { version: 1, devices: [{ name: "tun0", mode: "tun", mtu: 1400 }] },
 *   { namespaces: [{ devices: [], otherLinks: [] }] },
 * );
 * assert.deepEqual(plan.actions.map((a) => [a.kind, a.name, a.reason]), [
 *   ["create", "tun0", "not present"],
 * ]);
 * ```
 *
 * @param desired The config (owner and group as numbers: `applyConfig`
 *   resolves names first).
 * @param current The namespaces the config names, as they are.
 * @param options Prune, force.
 * @returns The plan.
 * @throws {TypeError} When an owner or group is a name.
 */
export function planConfig(
  desired: TunTapConfig,
  current: CurrentState,
  options: PlanConfigOptions = {},
): Plan {
  const spaces = new Map<string, CurrentNamespace>(
    current.namespaces.map((space) => [ns(space.netns), space]),
  );
  const deviceIn = (netns: string | undefined, name: string) =>
    spaces.get(ns(netns))?.devices.find((d) => d.name === name);
  const declared = new Set(desired.devices.map((d) => `${ns(d.netns)}\0${d.name}`));
  const moved = new Set<string>();
  const groups: Record<PlanAction["kind"], PlanAction[]> = {
    delete: [],
    move: [],
    recreate: [],
    create: [],
    change: [],
  };
  let unchanged = 0;
  const refusal = (have: CurrentDevice, what: string) =>
    have.attached && !options.force
      ? `a process holds ${have.name}: ${what} would cut it off (use force)`
      : undefined;
  for (const want of desired.devices) {
    const where = want.netns === undefined ? {} : { netns: want.netns };
    const have = deviceIn(want.netns, want.name);
    if (have === undefined) {
      if (spaces.get(ns(want.netns))?.otherLinks.includes(want.name)) {
        groups.create.push({
          kind: "create",
          name: want.name,
          ...where,
          reason: "a link of another kind has the name",
          changes: [],
          device: want,
          conflict: `${want.name} exists and is not a TUN/TAP device`,
        });
        continue;
      }
      const stray = want.netns === undefined ? undefined : deviceIn(undefined, want.name);
      if (
        stray !== undefined && stray.mode === want.mode &&
        (stray.multiQueue ?? false) === (want.multiQueue ?? false) &&
        !declared.has(`\0${want.name}`) && !moved.has(want.name)
      ) {
        moved.add(want.name);
        // A move takes the device down and drops its addresses.
        const after: CurrentDevice = { ...stray, up: false, addresses: [] };
        groups.move.push({
          kind: "move",
          name: want.name,
          ...where,
          reason: `in this namespace, wanted in ${want.netns}`,
          changes: differences(want, after),
          device: want,
          current: stray,
        });
        continue;
      }
      groups.create.push({
        kind: "create",
        name: want.name,
        ...where,
        reason: "not present",
        changes: differences(want, undefined),
        device: want,
      });
      continue;
    }
    const changes = differences(want, have);
    const remake: string[] = [];
    if (have.mode !== want.mode) remake.push(`mode ${have.mode} -> ${want.mode}`);
    if ((have.multiQueue ?? false) !== (want.multiQueue ?? false)) {
      remake.push(`multi_queue ${have.multiQueue ?? false} -> ${want.multiQueue ?? false}`);
    }
    for (const key of ["owner", "group"] as const) {
      if (have[key] !== undefined && want[key] === undefined) {
        remake.push(`${key} ${have[key]} -> none (the kernel cannot remove one)`);
      }
    }
    const reattach = changes.filter((c) => DEVICE_SETTINGS.some(([key]) => key === c.key));
    if (remake.length === 0 && reattach.length > 0 && have.attached) {
      remake.push(`${describe(reattach)} (a process holds it)`);
    }
    if (remake.length > 0) {
      // Keep what the config does not manage.
      const kept: DeviceConfig = { ...want };
      for (const [, field] of LINK_KEYS) {
        if (kept[field] !== undefined || have[field] === undefined) continue;
        if (field === "mac" && (want.mode !== "tap" || have.mode !== "tap")) continue;
        (kept as unknown as Record<string, unknown>)[field] = have[field];
      }
      const refused = refusal(have, "re-creating it");
      groups.recreate.push({
        kind: "recreate",
        name: want.name,
        ...where,
        reason: remake.join(", "),
        changes: differences(kept, undefined),
        device: kept,
        current: have,
        ...(refused === undefined ? {} : { refused }),
      });
      continue;
    }
    if (changes.length === 0) {
      unchanged++;
      continue;
    }
    groups.change.push({
      kind: "change",
      name: want.name,
      ...where,
      reason: describe(changes),
      changes,
      device: want,
      current: have,
    });
  }
  if (options.prune) {
    const named = new Set(desired.devices.map((d) => ns(d.netns)));
    for (const space of current.namespaces) {
      if (!named.has(ns(space.netns))) continue;
      for (const have of space.devices) {
        if (declared.has(`${ns(space.netns)}\0${have.name}`)) continue;
        if (space.netns === undefined && moved.has(have.name)) continue;
        const refused = refusal(have, "deleting it");
        groups.delete.push({
          kind: "delete",
          name: have.name,
          ...(space.netns === undefined ? {} : { netns: space.netns }),
          reason: "not in the config (prune)",
          changes: [],
          ...(refused === undefined ? {} : { refused }),
          current: have,
        });
      }
    }
  }
  return {
    actions: [
      ...groups.delete,
      ...groups.move,
      ...groups.recreate,
      ...groups.create,
      ...groups.change,
    ],
    unchanged,
  };
}
