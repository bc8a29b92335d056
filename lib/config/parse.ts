/**
 * Reading a config file: YAML (or JSON), checked against the format before
 * anything acts on it. Every problem is reported with its file, line,
 * column and key.
 *
 * @module
 */

import { parseInetPrefix } from "../address/_inet.ts";
import { nameProblem, nameTypeProblem } from "../device/_checks.ts";
import { parseMac } from "../device/_device.ts";
import { loadYaml, type Located, type PathStep, type Position, YamlSyntaxError } from "./_yaml.ts";
import type { AddressConfig, DeviceConfig, TunTapConfig } from "./types.ts";

/** One problem of a config: where it is and what is wrong. */
export interface ConfigProblem {
  /** The file, as given. */
  file: string;
  /** The line, from 1. */
  line: number;
  /** The column, from 1. */
  column: number;
  /** The key, as a path: `devices[2].mtu` (empty for the document itself). */
  path: string;
  /** What is wrong. */
  message: string;
}

/**
 * A config that cannot be used: every problem found, each with its place.
 *
 * @example Every problem, one line each
 * ```ts
 * import { ConfigError, formatProblem } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * const error = new ConfigError("a.yaml", [
 *   { file: "a.yaml", line: 3, column: 5, path: "devices[0].mtu", message: "must be an integer" },
 * ]);
 * assert.equal(error.message, "Cannot use the config a.yaml:\na.yaml:3:5: devices[0].mtu: must be an integer");
 * assert.equal(formatProblem(error.problems[0]!), "a.yaml:3:5: devices[0].mtu: must be an integer");
 * ```
 */
export class ConfigError extends Error {
  /** The problems, in file order. */
  readonly problems: ConfigProblem[];

  /**
   * Makes the error.
   *
   * @param file The file.
   * @param problems The problems (at least one).
   */
  constructor(file: string, problems: ConfigProblem[]) {
    super(`Cannot use the config ${file}:\n${problems.map(formatProblem).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/**
 * A problem as one line: `FILE:LINE:COLUMN: PATH: MESSAGE`.
 *
 * @example Usage
 * ```ts
 * import { formatProblem } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   formatProblem({ file: "f.yaml", line: 1, column: 1, path: "", message: "not a config" }),
 *   "f.yaml:1:1: not a config",
 * );
 * ```
 *
 * @param problem The problem.
 * @returns The line.
 */
export function formatProblem(problem: ConfigProblem): string {
  const path = problem.path === "" ? "" : `${problem.path}: `;
  return `${problem.file}:${problem.line}:${problem.column}: ${path}${problem.message}`;
}

/** Where the keys of each device of a parsed config are (for errors found later). */
const PLACES = new WeakMap<DeviceConfig, (key?: string) => Position & { file: string }>();

/**
 * Where a key of a device read by {@linkcode parseConfig} is, for a problem
 * found after parsing (an unknown user, a missing namespace).
 *
 * @param device A device of a parsed config.
 * @param key The key as the file spells it; the device itself when absent.
 * @returns The place, or `undefined` for a device not read from a file.
 */
export function placeOf(
  device: DeviceConfig,
  key?: string,
): (Position & { file: string }) | undefined {
  return PLACES.get(device)?.(key);
}

type Check = (value: unknown, device: Record<string, unknown>) => string | undefined;

const isInteger = (min: number, max: number): Check => (value) =>
  typeof value === "number" && Number.isInteger(value) && value >= min && value <= max
    ? undefined
    : `must be an integer from ${min} to ${max}, not ${show(value)}`;
const isBoolean: Check = (value) =>
  typeof value === "boolean" ? undefined : `must be true or false, not ${show(value)}`;
const isId: Check = (value) => {
  if (typeof value === "number") return isInteger(0, 0xfffffffe)(value, {});
  if (typeof value === "string" && value !== "" && !value.includes("\0")) return undefined;
  return `must be a name or a number, not ${show(value)}`;
};
const isLinkName: Check = (value) => {
  if (typeof value !== "string") return `must be a string, not ${show(value)}`;
  return nameTypeProblem(value) ?? nameProblem(value, false);
};

/** One key of a device: its field, and its check. */
interface KeySpec {
  /** The field of {@linkcode DeviceConfig}. */
  field: keyof DeviceConfig;
  /** Why the value is wrong, or undefined. */
  check: Check;
}

/** The keys of a device, as the file spells them (one table: validation, export, schema). */
export const DEVICE_KEYS: Readonly<Record<string, KeySpec>> = {
  name: { field: "name", check: isLinkName },
  mode: {
    field: "mode",
    check: (v) => v === "tun" || v === "tap" ? undefined : `must be tun or tap, not ${show(v)}`,
  },
  owner: { field: "owner", check: isId },
  group: { field: "group", check: isId },
  pi: { field: "pi", check: isBoolean },
  "vnet_hdr": { field: "vnetHdr", check: isBoolean },
  "multi_queue": { field: "multiQueue", check: isBoolean },
  up: { field: "up", check: isBoolean },
  mtu: { field: "mtu", check: isInteger(68, 65535) },
  txqueuelen: { field: "txQueueLen", check: isInteger(0, 0xffffffff) },
  mac: {
    field: "mac",
    check: (v, device) => {
      if (typeof v !== "string" || parseMac(v) === undefined) {
        return `must be a MAC address (six hex octets separated by ":"), not ${show(v)}`;
      }
      const bytes = parseMac(v) as Uint8Array;
      if (((bytes[0] as number) & 1) !== 0 || bytes.every((b) => b === 0)) {
        return `must be a unicast address (first octet even, not all zero), not ${show(v)}`;
      }
      if (device.mode === "tun") return "a tun device has no MAC address (only a tap has one)";
      return undefined;
    },
  },
  master: {
    field: "master",
    check: (v, device) => v === null ? undefined : isLinkName(v, device),
  },
  netns: {
    field: "netns",
    check: (v) =>
      typeof v === "string" && v !== "" && !v.includes("\0")
        ? undefined
        : `must be a namespace name or path, not ${show(v)}`,
  },
  addresses: { field: "addresses", check: () => undefined }, // checked item by item
};

function show(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (typeof value === "object") return Array.isArray(value) ? "a list" : "a mapping";
  return JSON.stringify(value);
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function pathText(path: readonly PathStep[]): string {
  let out = "";
  for (const step of path) out += typeof step === "number" ? `[${step}]` : out ? `.${step}` : step;
  return out;
}

/** Why an address entry is wrong, or its normalized form. */
function readAddress(
  value: unknown,
  problem: (message: string, where?: PathStep[], part?: "key" | "value") => void,
): AddressConfig | undefined {
  const checkPrefix = (text: unknown, where: PathStep[]): string | undefined => {
    // No leading zero in the length: ip would read /024 as octal.
    if (typeof text !== "string" || parseInetPrefix(text) === undefined || /\/0\d/.test(text)) {
      problem(`must be an address ADDR/LEN (IPv4 or IPv6), not ${show(text)}`, where);
      return undefined;
    }
    return text;
  };
  if (typeof value === "string") {
    const address = checkPrefix(value, []);
    return address === undefined ? undefined : { address };
  }
  if (!isMapping(value)) {
    problem(`must be ADDR/LEN or a mapping { address, peer }, not ${show(value)}`);
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (key !== "address" && key !== "peer") {
      problem(`unknown key "${key}" (an address has address and peer)`, [key], "key");
    }
  }
  if (!("address" in value)) {
    problem('an address needs the key "address"');
    return undefined;
  }
  const address = checkPrefix(value.address, ["address"]);
  if (!("peer" in value)) return address === undefined ? undefined : { address };
  const peer = value.peer;
  const local = address === undefined ? undefined : parseInetPrefix(address);
  const remote = typeof peer === "string" && !/\/0\d/.test(peer)
    ? parseInetPrefix(peer)
    : undefined;
  if (remote === undefined) {
    problem(`must be an IP address (ADDR or ADDR/LEN), not ${show(peer)}`, ["peer"]);
    return undefined;
  }
  if (local !== undefined && local.version !== remote.version) {
    problem("the peer must be of the address's family", ["peer"]);
    return undefined;
  }
  return address === undefined ? undefined : { address, peer: peer as string };
}

/** Options of {@linkcode parseConfig}. */
export interface ParseConfigOptions {
  /** The file's name, for messages ("-" for standard input). */
  file?: string;
}

/**
 * Reads a config: YAML 1.2 (JSON too), `version: 1` and `devices:`. Checks
 * everything that does not depend on the host: unknown keys, wrong types,
 * invalid device names (the kernel's rules), duplicate keys, duplicate
 * devices (same name and namespace), a MAC on a tun. Users, groups and
 * namespaces are checked by `applyConfig`, before it changes anything.
 *
 * @example Usage
 * ```ts
 * import { parseConfig } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * const config = parseConfig("version: 1\ndevices:\n  - { name: tun0, mode: tun, mtu: 1400 }\n");
 * assert.deepEqual(config.devices, [{ name: "tun0", mode: "tun", mtu: 1400 }]);
 * ```
 *
 * @example Every problem, with its place
 * ```ts
 * import { ConfigError, parseConfig } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * assert.throws(
 *   () => parseConfig("version: 1\ndevices:\n  - name: tun0\n    mode: tun\n    mtuu: 9\n", { file: "t.yaml" }),
 *   (e: unknown) => e instanceof ConfigError &&
 *     e.problems[0]?.line === 5 && e.problems[0]?.column === 5 &&
 *     e.problems[0]?.message === 'unknown key "mtuu"',
 * );
 * ```
 *
 * @param text The file's text.
 * @param options The file's name.
 * @returns The config (keys in the library's spelling: `vnetHdr`, `txQueueLen`…).
 * @throws {ConfigError} With every problem found.
 */
export function parseConfig(text: string, options: ParseConfigOptions = {}): TunTapConfig {
  const file = options.file ?? "<config>";
  let located: Located;
  try {
    located = loadYaml(text);
  } catch (error) {
    if (!(error instanceof YamlSyntaxError)) throw error;
    throw new ConfigError(file, [{ file, ...error.position, path: "", message: error.message }]);
  }
  const problems: ConfigProblem[] = [];
  const problem = (path: PathStep[], message: string, part: "key" | "value" = "value") =>
    problems.push({ file, ...located.position(path, part), path: pathText(path), message });
  const top = located.value;
  if (!isMapping(top)) {
    problem([], `a config is a mapping with version and devices, not ${show(top)}`);
    throw new ConfigError(file, problems);
  }
  for (const key of Object.keys(top)) {
    if (key !== "version" && key !== "devices") {
      problem([key], `unknown key "${key}" (a config has version and devices)`, "key");
    }
  }
  if (!("version" in top)) problem([], 'a config needs "version: 1"');
  else if (top.version !== 1) problem(["version"], `must be 1, not ${show(top.version)}`);
  const devices: DeviceConfig[] = [];
  if (!("devices" in top)) problem([], 'a config needs "devices:" (a list)');
  else if (top.devices !== null && !Array.isArray(top.devices)) {
    problem(["devices"], `must be a list of devices, not ${show(top.devices)}`);
  } else {
    const seen = new Map<string, number>();
    (top.devices ?? []).forEach((raw: unknown, i: number) => {
      const at = (...rest: PathStep[]): PathStep[] => ["devices", i, ...rest];
      if (!isMapping(raw)) {
        problem(at(), `a device is a mapping with name and mode, not ${show(raw)}`);
        return;
      }
      const device: Record<string, unknown> = {};
      for (const key of ["name", "mode"]) {
        if (!(key in raw)) problem(at(), `a device needs the key "${key}"`);
      }
      for (const [key, value] of Object.entries(raw)) {
        const spec = DEVICE_KEYS[key];
        if (spec === undefined) {
          problem(at(key), `unknown key "${key}"`, "key");
          continue;
        }
        const why = spec.check(value, raw);
        if (why !== undefined) problem(at(key), why);
        else device[spec.field] = value;
      }
      if ("addresses" in raw) {
        const list = raw.addresses;
        if (!Array.isArray(list)) {
          problem(at("addresses"), `must be a list of addresses, not ${show(list)}`);
        } else {
          const addresses: AddressConfig[] = [];
          list.forEach((entry: unknown, j: number) => {
            const read = readAddress(
              entry,
              (message, where = [], part) => problem(at("addresses", j, ...where), message, part),
            );
            if (read !== undefined) addresses.push(read);
          });
          device.addresses = addresses;
        }
      }
      if (device.name !== undefined) {
        const key = `${raw.netns ?? ""}\0${raw.name}`;
        const first = seen.get(key);
        if (first !== undefined) {
          problem(
            at("name"),
            `a second device "${raw.name}"${
              raw.netns === undefined ? "" : ` in ${raw.netns}`
            } (the first is devices[${first}])`,
          );
        } else seen.set(key, i);
      }
      const config = device as unknown as DeviceConfig;
      PLACES.set(config, (key) => ({ file, ...located.position(key ? at(key) : at(), "key") }));
      devices.push(config);
    });
  }
  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    throw new ConfigError(file, problems);
  }
  return { version: 1, devices };
}
