/**
 * Applying a config to the host, and exporting the host as a config.
 *
 * @module
 */

import { devicesWithAddresses } from "../address/_links.ts";
import { addAddress, deleteAddress } from "../address/address.ts";
import { resolveGroup, resolveUser } from "../device/_ids.ts";
import { reattachTunTap } from "../device/_reattach.ts";
import { type CreateRequest, createTunTaps } from "../device/create.ts";
import { deleteTunTap } from "../device/delete.ts";
import type { TunTapDevice } from "../device/types.ts";
import { TunTapError } from "../errors.ts";
import { testHooks } from "../_hooks.ts";
import { existingLinks, namespaceTarget } from "../link/_probe.ts";
import { setLink, type SetLinkOptions } from "../link/set.ts";
import type { NetnsOptions } from "../netns/netns.ts";
import { SyscallError } from "../transport/_syscall.ts";
import { ApplyLock } from "./_lock.ts";
import { settleAll } from "./_settle.ts";
import { ConfigError, type ConfigProblem, placeOf } from "./parse.ts";
import { addressKey, isLinkLocal } from "./_addresses.ts";
import { planConfig } from "./plan.ts";
import type {
  AddressConfig,
  CurrentDevice,
  CurrentNamespace,
  CurrentState,
  DeviceConfig,
  Plan,
  PlanAction,
  TunTapConfig,
} from "./types.ts";

/** Options of {@linkcode applyConfig}. */
export interface ApplyConfigOptions extends NetnsOptions {
  /** Plan only: change nothing. */
  dryRun?: boolean;
  /** Delete TUN/TAP devices the config does not list, in the namespaces it names. */
  prune?: boolean;
  /** Re-create or delete devices a process holds. */
  force?: boolean;
  /** Seconds to wait for another apply to finish; 0 (the default): fail at once. */
  wait?: number;
  /** Runs once the plan is made, before any action. */
  onPlan?: (plan: Plan) => void;
  /** Runs after each action (for progress output). */
  onAction?: (result: ActionResult) => void;
}

/** What became of one action. */
export interface ActionResult {
  /** The action. */
  action: PlanAction;
  /** done, failed, refused (needs force or has a conflict), or planned (dry run). */
  outcome: "done" | "failed" | "refused" | "planned";
  /** Why it failed or was refused. */
  error?: string;
}

/** The report of an apply. */
export interface ApplyReport {
  /** Whether anything changed (or would, in a dry run). */
  changed: boolean;
  /** Whether it was a dry run. */
  dryRun: boolean;
  /** Each action and its outcome, in order. */
  results: ActionResult[];
  /** Devices already as wanted. */
  unchanged: number;
  /** Whether any action failed or was refused. */
  failed: boolean;
}

/**
 * Resolves owner and group names to numbers and checks that every
 * namespace exists, before anything changes.
 */
function preflight(config: TunTapConfig, home: string | undefined): TunTapConfig {
  const problems: ConfigProblem[] = [];
  let file = "<config>";
  const problem = (device: DeviceConfig, key: string, message: string) => {
    const place = placeOf(device, key) ?? { file, line: 0, column: 0 };
    file = place.file;
    const index = config.devices.indexOf(device);
    problems.push({ ...place, path: `devices[${index}].${key}`, message });
  };
  const missing = new Map<string, boolean>();
  const devices = config.devices.map((device) => {
    const resolved: DeviceConfig = { ...device };
    for (const [key, resolve] of [["owner", resolveUser], ["group", resolveGroup]] as const) {
      const value = device[key];
      if (value === undefined) continue;
      try {
        const id = resolve(value);
        if (id === undefined) delete resolved[key];
        else resolved[key] = id;
      } catch (error) {
        if (!(error instanceof SyscallError || error instanceof RangeError)) throw error;
        problem(device, key, `no such ${key === "owner" ? "user" : "group"} "${value}"`);
      }
    }
    for (const netns of [device.netns ?? home]) {
      if (netns === undefined) continue;
      if (!missing.has(netns)) missing.set(netns, namespaceTarget(netns) === undefined);
      if (missing.get(netns)) {
        problem(device, "netns", `no network namespace "${netns}" (ip netns add ${netns})`);
      }
    }
    return resolved;
  });
  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    throw new ConfigError(file, problems);
  }
  return { version: 1, devices };
}

function currentDevice(device: TunTapDevice, addresses: AddressConfig[]): CurrentDevice {
  const found: CurrentDevice = {
    name: device.name,
    mode: device.mode,
    pi: device.pi,
    vnetHdr: device.vnetHdr,
    multiQueue: device.multiQueue,
    up: device.up,
    mtu: device.mtu,
    txQueueLen: device.txQueueLen,
    addresses,
    attached: device.carrier || (device.queues ?? 0) > 0,
  };
  if (device.owner !== undefined) found.owner = device.owner;
  if (device.group !== undefined) found.group = device.group;
  if (device.mode === "tap" && device.mac !== undefined) found.mac = device.mac;
  if (device.master !== undefined) found.master = device.master;
  return found;
}

/** Reads one namespace's TUN/TAP devices and their addresses. */
function readNamespace(netns: string | undefined, names: readonly string[]): CurrentNamespace {
  const found = devicesWithAddresses(netns);
  const devices = found.map(({ device, addresses }) =>
    currentDevice(
      device,
      addresses.map((a) => ({
        address: `${a.address}/${a.prefixLength}`,
        ...(a.peer === undefined ? {} : { peer: a.peer }),
      })),
    )
  );
  const mine = new Set(devices.map((d) => d.name));
  const others = existingLinks(names.filter((name) => !mine.has(name)), netns);
  return {
    ...(netns === undefined ? {} : { netns }),
    devices,
    otherLinks: [...others],
  };
}

/**
 * Reads the namespaces a config names, as they are (the input of
 * `planConfig`).
 *
 * @example Usage
 * ```ts
 * import { planConfig, readCurrentState } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * // Reading needs no privilege: the caller's namespace, as it is.
 * const config = { version: 1 as const, devices: [] };
 * const state = readCurrentState(config);
 * assert.equal(state.namespaces.length, 1);
 * assert.deepEqual(planConfig(config, state).actions, []);
 * ```
 *
 * @param config The config.
 * @param options The namespace of devices without `netns` (the caller's by default).
 * @returns The state.
 * @throws {TunTapError} When a namespace cannot be read.
 */
export function readCurrentState(config: TunTapConfig, options: NetnsOptions = {}): CurrentState {
  const spaces = new Map<string, string[]>([["", []]]);
  for (const d of config.devices) {
    const key = d.netns ?? "";
    spaces.set(key, [...(spaces.get(key) ?? []), d.name]);
  }
  const namespaces: CurrentNamespace[] = [];
  for (const [key, names] of spaces) {
    const read = readNamespace(key === "" ? options.netns : key, names);
    namespaces.push(key === "" ? { devices: read.devices, otherLinks: read.otherLinks } : read);
  }
  return { namespaces };
}

function linkOptions(action: PlanAction): SetLinkOptions {
  const device = action.device as DeviceConfig;
  const options: SetLinkOptions = {};
  for (const { key } of action.changes) {
    if (key === "mtu" && device.mtu !== undefined) options.mtu = device.mtu;
    if (key === "txqueuelen" && device.txQueueLen !== undefined) {
      options.txQueueLen = device.txQueueLen;
    }
    if (key === "mac" && device.mac !== undefined) options.mac = device.mac;
    if (key === "master" && device.master !== undefined) options.master = device.master;
    if (key === "up" && device.up !== undefined) options.up = device.up;
  }
  return options;
}

function splitKey(key: string): { address: string; peer?: string } {
  const [address, peer] = key.split(" peer ") as [string, string?];
  return peer === undefined ? { address } : { address, peer };
}

/** Sets the link settings and addresses an action changes, in the device's namespace. */
function settle(action: PlanAction, netns: string | undefined): void {
  const where = netns === undefined ? {} : { netns };
  const link = linkOptions(action);
  if (Object.keys(link).length > 0) setLink(action.name, { ...link, ...where });
  const addresses = action.changes.find((c) => c.key === "addresses");
  if (addresses !== undefined) {
    for (const key of addresses.from as string[]) {
      const { address, peer } = splitKey(key);
      deleteAddress(action.name, address, { ...where, ...(peer ? { peer } : {}) });
    }
    for (const key of addresses.to as string[]) {
      const { address, peer } = splitKey(key);
      addAddress(action.name, address, { ...where, ...(peer ? { peer } : {}) });
    }
  }
}

function request(device: DeviceConfig): CreateRequest {
  return {
    name: device.name,
    mode: device.mode,
    ...(device.owner === undefined ? {} : { owner: device.owner }),
    ...(device.group === undefined ? {} : { group: device.group }),
    pi: device.pi ?? false,
    vnetHdr: device.vnetHdr ?? false,
    multiQueue: device.multiQueue ?? false,
  };
}

function create(action: PlanAction, netns: string | undefined): void {
  const [outcome] = createTunTaps([request(action.device as DeviceConfig)], {
    readBack: false,
    ...(netns === undefined ? {} : { netns }),
  });
  if (outcome?.error !== undefined) throw outcome.error;
  settle(action, netns);
}

/**
 * Runs consecutive creates of one namespace together: the devices are made
 * in one pass (each atomic, as always), then each is settled.
 */
function createMany(
  actions: readonly PlanAction[],
  netns: string | undefined,
  done: (action: PlanAction, error?: unknown) => void,
): void {
  for (const action of actions) testHooks.beforeApplyAction?.(action.name);
  const outcomes = createTunTaps(actions.map((a) => request(a.device as DeviceConfig)), {
    readBack: false,
    ...(netns === undefined ? {} : { netns }),
  });
  const made = actions.filter((_, i) => outcomes[i]?.error === undefined);
  const settled = settleAll(
    made.map((action) => {
      const added = action.changes.find((c) => c.key === "addresses");
      return {
        name: action.name,
        link: linkOptions(action),
        addresses: ((added?.to ?? []) as string[]).map(splitKey),
      };
    }),
    netns,
  );
  const failures = new Map(made.map((action, i) => [action, settled[i]]));
  actions.forEach((action, i) => done(action, outcomes[i]?.error ?? failures.get(action)));
}

function remove(action: PlanAction, netns: string | undefined): void {
  const current = action.current as CurrentDevice;
  deleteTunTap(action.name, {
    mode: current.mode,
    multiQueue: current.multiQueue ?? false,
    ...(netns === undefined ? {} : { netns }),
  });
}

/** Runs one action; `home` is the namespace of devices without `netns`. */
function run(action: PlanAction, home: string | undefined): void {
  const netns = action.netns ?? home;
  testHooks.beforeApplyAction?.(action.name);
  switch (action.kind) {
    case "delete":
      return remove(action, netns);
    case "recreate":
      remove(action, netns);
      return create(action, netns);
    case "create":
      return create(action, netns);
    case "move":
      setLink(action.name, { moveTo: netns as string, ...(home ? { netns: home } : {}) });
      return settle(action, netns);
    case "change": {
      const device = action.device as DeviceConfig;
      const keys = new Set(action.changes.map((c) => c.key));
      if (["owner", "group", "pi", "vnet_hdr"].some((k) => keys.has(k))) {
        reattachTunTap(action.name, {
          mode: device.mode,
          multiQueue: device.multiQueue ?? false,
          pi: device.pi ?? false,
          vnetHdr: device.vnetHdr ?? false,
          ...(typeof device.owner === "number" ? { owner: device.owner } : {}),
          ...(typeof device.group === "number" ? { group: device.group } : {}),
        }, netns);
      }
      return settle(action, netns);
    }
  }
}

/**
 * Makes the host match a config: resolves users and groups and checks the
 * namespaces (a problem there changes nothing), takes the host's apply
 * lock (`/run/lock/tuntap-apply.lock`), reads the namespaces the config
 * names, plans ({@linkcode planConfig}) and runs the plan. An action that
 * fails is reported and the others go on; running the same config again
 * finishes what a failed or killed run left (every step is idempotent:
 * creation is atomic, and each run plans from what it finds).
 *
 * @example Usage
 * ```ts ignore
 * import { applyConfig, deleteTunTap, parseConfig } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * // (Needs CAP_NET_ADMIN: tests/doc_examples_test.ts runs it in a private network
 * // namespace with tun0, tun1, tap0, tap1, mq0, br0 and the namespaces blue and lab.)
 *
 * const config = parseConfig(`
 * version: 1
 * devices:
 *   - name: vpn0
 *     mode: tun
 *     mtu: 1420
 *     up: true
 *     addresses: [{ address: 192.0.2.1/24 }]
 * `);
 * const report = await applyConfig(config);
 * assert.equal(report.changed, true);
 * assert.deepEqual(report.results.map((r) => `${r.action.kind} ${r.action.name}`), ["create vpn0"]);
 * assert.equal((await applyConfig(config)).changed, false); // already as wanted
 * deleteTunTap("vpn0");
 * ```
 *
 * @param config The config.
 * @param options Dry run, prune, force, wait, the default namespace.
 * @returns What was done.
 * @throws {ConfigError} When a user, group or namespace does not exist.
 * @throws {TunTapError} When the lock is held by another apply (EAGAIN) or
 *   the state cannot be read.
 */
export async function applyConfig(
  config: TunTapConfig,
  options: ApplyConfigOptions = {},
): Promise<ApplyReport> {
  const resolved = preflight(config, options.netns);
  let lock: ApplyLock | undefined;
  try {
    lock = options.dryRun ? undefined : await ApplyLock.take(options.wait ?? 0);
  } catch (error) {
    if (!(error instanceof SyscallError)) throw error;
    throw new TunTapError("Cannot apply the config", {
      errno: error.errno,
      syscall: error.syscall,
      detail: error.detail,
      hint: error.explanation,
    });
  }
  try {
    const plan: Plan = planConfig(resolved, readCurrentState(resolved, options), {
      ...(options.prune ? { prune: true } : {}),
      ...(options.force ? { force: true } : {}),
    });
    options.onPlan?.(plan);
    const results: ActionResult[] = [];
    const record = (result: ActionResult) => {
      results.push(result);
      options.onAction?.(result);
    };
    const done = (action: PlanAction, error?: unknown) => {
      if (error === undefined) return record({ action, outcome: "done" });
      if (!(error instanceof TunTapError)) throw error;
      record({ action, outcome: "failed", error: error.message });
    };
    const actions = plan.actions;
    for (let i = 0; i < actions.length; i++) {
      const action = actions[i] as PlanAction;
      if (action.conflict !== undefined || action.refused !== undefined) {
        record({
          action,
          outcome: "refused",
          error: (action.conflict ?? action.refused) as string,
        });
      } else if (options.dryRun) record({ action, outcome: "planned" });
      else if (action.kind === "create") {
        // The creates that follow, in the same namespace, go together.
        let end = i + 1;
        while (
          end < actions.length && actions[end]?.kind === "create" &&
          actions[end]?.netns === action.netns && actions[end]?.conflict === undefined
        ) end++;
        createMany(actions.slice(i, end), action.netns ?? options.netns, done);
        i = end - 1;
      } else {
        try {
          run(action, options.netns);
        } catch (error) {
          done(action, error);
          continue;
        }
        done(action);
      }
    }
    return {
      changed: results.some((r) => r.outcome === "done" || r.outcome === "planned"),
      dryRun: options.dryRun ?? false,
      results,
      unchanged: plan.unchanged,
      failed: results.some((r) => r.outcome === "failed" || r.outcome === "refused"),
    };
  } finally {
    lock?.close();
  }
}

/** Options of {@linkcode exportConfig}. */
export interface ExportConfigOptions extends NetnsOptions {
  /** Only these devices (all TUN/TAP devices when absent). */
  names?: readonly string[];
}

/**
 * The TUN/TAP devices of a namespace as a config: applying it to the same
 * namespace changes nothing. Settings at `ip tuntap add`'s defaults are
 * left out; link settings are all given; the kernel's own IPv6 link-local
 * addresses are left out. With `netns`, each device names it.
 *
 * @example Usage
 * ```ts ignore
 * import { exportConfig } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * // (Needs CAP_NET_ADMIN: tests/doc_examples_test.ts runs it in a private network
 * // namespace with tun0, tun1, tap0, tap1, mq0, br0 and the namespaces blue and lab.)
 *
 * const [tun0] = exportConfig({ names: ["tun0"] }).devices;
 * assert.equal(tun0?.mode, "tun");
 * ```
 *
 * @param options The namespace and the devices.
 * @returns The config.
 * @throws {TunTapError} When the namespace cannot be read.
 */
export function exportConfig(options: ExportConfigOptions = {}): TunTapConfig {
  const current = readNamespace(options.netns, []);
  const wanted = options.names === undefined ? undefined : new Set(options.names);
  const devices = current.devices.filter((d) => wanted === undefined || wanted.has(d.name)).map(
    (d): DeviceConfig => {
      const out: DeviceConfig = { name: d.name, mode: d.mode };
      if (d.owner !== undefined) out.owner = d.owner;
      if (d.group !== undefined) out.group = d.group;
      if (d.pi) out.pi = true;
      if (d.vnetHdr) out.vnetHdr = true;
      if (d.multiQueue) out.multiQueue = true;
      out.up = d.up ?? false;
      if (d.mtu !== undefined) out.mtu = d.mtu;
      if (d.txQueueLen !== undefined) out.txQueueLen = d.txQueueLen;
      if (d.mac !== undefined) out.mac = d.mac;
      if (d.master !== undefined) out.master = d.master;
      if (options.netns !== undefined) out.netns = options.netns;
      out.addresses = (d.addresses ?? []).filter((a) => !isLinkLocal(addressKey(a)));
      return out;
    },
  );
  return { version: 1, devices };
}
