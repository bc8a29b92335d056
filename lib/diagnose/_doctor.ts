/**
 * What this machine allows, and why: the checks `tuntap doctor` runs. They
 * read the system (procfs, sysfs, `/dev/net/tun`, the tun driver's
 * `TUNGETFEATURES`) and create nothing; a problem carries a hint from the
 * hint table (`lib/_hints.ts`). Everything is read through libc, so no read
 * permission is needed.
 *
 * The facts are gathered once, then each check of a table judges them.
 * Devices can be created when every required check passes: `/dev/net/tun`
 * is the tun device, it opens, the driver answers `TUNGETFEATURES`, and
 * CAP_NET_ADMIN counts in this network namespace.
 *
 * @module
 */

import * as files from "../../ffi/_files.ts";
import * as libc from "../../ffi/_libc.ts";
import { type Hint, operate } from "../_boundary.ts";
import { EPERM, errnoDescription } from "../_errno.ts";
import { DOCTOR_HINTS, HINTS } from "../_hints.ts";
import {
  IFF_MULTI_QUEUE,
  IFF_NO_PI,
  IFF_ONE_QUEUE,
  IFF_TAP,
  IFF_TUN,
  IFF_TUN_EXCL,
  IFF_VNET_HDR,
  TUN_PATH,
  TunFd,
} from "../device/_tunfd.ts";
import { decodeText } from "../netlink/_text.ts";
import { currentNetnsInode, currentNetnsName } from "../netns/_identity.ts";
import { NetnsFd } from "../netns/_netns.ts";
import type { NetnsOptions } from "../netns/netns.ts";
import { SyscallError } from "../transport/_syscall.ts";

/**
 * How a check came out: passed, failed (a required check: devices cannot
 * be created), failed but not required (a warning), or not run because a
 * check before it failed.
 */
export type CheckStatus = "ok" | "fail" | "warn" | "skip";

/** One finding. */
export interface DoctorCheck {
  /** What was checked: `kernel`, `/dev/net/tun`, `CAP_NET_ADMIN`, …. */
  name: string;
  /** Whether it passed. */
  ok: boolean;
  /** How it came out. */
  status: CheckStatus;
  /** Whether creating devices depends on it. */
  required: boolean;
  /** What was found. */
  detail: string;
  /** What to do about a problem, when something can be done. */
  hint: string | undefined;
}

/** What `doctor` found. */
export interface Diagnosis {
  /** Whether TUN/TAP devices can be created here: every required check passed. */
  canCreate: boolean;
  /** The kernel release (`uname -r`), when it could be read. */
  kernel: string | undefined;
  /** The names of the `TUNSETIFF` flags the driver supports, when it answered. */
  features: string[] | undefined;
  /** The real uid, when it could be read. */
  uid: number | undefined;
  /** The effective uid, when it could be read. */
  euid: number | undefined;
  /** Whether CAP_NET_ADMIN is effective and counts in this network namespace. */
  capNetAdmin: boolean;
  /** The name in `/run/netns` of the network namespace, or `null`. */
  netns: string | null;
  /** The inode of the network namespace (0 when it could not be read). */
  netnsInode: number;
  /** The findings, in order. */
  checks: DoctorCheck[];
}

/** `TUNSETIFF` flags this package does not set: NAPI (4.15), NAPI frags (4.15), carrier off (6.1). */
const IFF_NAPI = 0x0010;
const IFF_NAPI_FRAGS = 0x0020;
const IFF_NO_CARRIER = 0x0040;

/**
 * `TUNGETFEATURES` bits and their names, as `ip tuntap` spells flags: the
 * device types, the flags `ip tuntap add` takes, then the others. The
 * kernel accepts `IFF_TUN_EXCL` without reporting it.
 */
const FEATURES: readonly (readonly [bit: number, name: string])[] = [
  [IFF_TUN, "tun"],
  [IFF_TAP, "tap"],
  [IFF_NO_PI, "no_pi"],
  [IFF_ONE_QUEUE, "one_queue"],
  [IFF_VNET_HDR, "vnet_hdr"],
  [IFF_MULTI_QUEUE, "multi_queue"],
  [IFF_TUN_EXCL, "tun_excl"],
  [IFF_NAPI, "napi"],
  [IFF_NAPI_FRAGS, "napi_frags"],
  [IFF_NO_CARRIER, "no_carrier"],
];

/** The clone device's number (`misc` major, `TUN_MINOR`). */
const TUN_MAJOR = 10;
const TUN_MINOR = 200;
/** The capability bit of CAP_NET_ADMIN in `CapEff`. */
const CAP_NET_ADMIN = 12n;
/** The oldest kernel whose rtnetlink reports IFLA_TUN_*. */
const IFLA_TUN_SINCE: readonly [number, number] = [4, 17];
/** `_IO(0xb7, 0x1)`: a descriptor of the user namespace that owns a namespace. */
const NS_GET_USERNS = 0xb701n;
/** `S_IFMT` and `S_IFCHR` of `st_mode`. */
const S_IFMT = 0o170000;
const S_IFCHR = 0o020000;
/** What a file type is called, by its `S_IFMT` bits. */
const FILE_TYPES: Readonly<Record<number, string>> = {
  0o140000: "a socket",
  0o120000: "a symbolic link",
  0o100000: "a regular file",
  0o060000: "a block device",
  0o040000: "a directory",
  0o020000: "a character device",
  0o010000: "a FIFO",
};

/** What `/proc/self/status` says of this process. */
interface ProcessIds {
  uid: number;
  euid: number;
  gid: number;
  egid: number;
  groups: number[];
  capEff: bigint;
  capEffText: string;
}

/** Whose user namespace owns this network namespace, as seen from this process. */
type NetnsOwner = "own" | "below" | "outside" | "unknown";

/** Where the tun driver is, and what says so. */
interface DriverState {
  kind: "module" | "built-in" | "loadable" | "absent" | "unknown";
  where: string;
}

/** Everything the checks judge, read once. */
interface Facts {
  release: string | number;
  /** The ids and capabilities, or why they could not be read. */
  ids: ProcessIds | string;
  /** `/proc/self/uid_map` and `gid_map`: `[inside, outside, count]` ranges. */
  uidMap: IdRange[] | undefined;
  gidMap: IdRange[] | undefined;
  driver: DriverState;
  node: libc.FileStatus | number;
  /** The driver's features, or the failure of opening `/dev/net/tun` or of asking. */
  tun: { features: number } | { error: SyscallError } | undefined;
  netnsInode: number;
  netnsName: string | null;
  owner: NetnsOwner;
  userns: { max: string | number; clone: string | number; appArmor: string | number };
}

/** A file of procfs or sysfs as trimmed text, or `-errno`. */
function readText(path: string): string | number {
  const bytes = files.readSmallFile(path);
  return typeof bytes === "number" ? bytes : decodeText(bytes).trim();
}

/** The failure of reading a file, in words. */
function cannotRead(path: string, errno: number): string {
  return `Cannot read ${path}: ${errnoDescription(errno)}`;
}

function parseIds(text: string): ProcessIds | undefined {
  const field = (name: string) => text.match(new RegExp(`^${name}:[ \\t]*(.*)$`, "m"))?.[1]?.trim();
  const ids = (name: string) => (field(name) ?? "").split(/\s+/).filter(Boolean).map(Number);
  const [uid, euid] = ids("Uid");
  const [gid, egid] = ids("Gid");
  const capEffText = field("CapEff");
  if (
    uid === undefined || euid === undefined || gid === undefined || egid === undefined ||
    capEffText === undefined || !/^[0-9a-f]+$/i.test(capEffText)
  ) return undefined;
  return {
    uid,
    euid,
    gid,
    egid,
    groups: ids("Groups"),
    capEff: BigInt(`0x${capEffText}`),
    capEffText,
  };
}

function readIds(): ProcessIds | string {
  const path = "/proc/self/status";
  const text = readText(path);
  if (typeof text === "number") return cannotRead(path, -text);
  return parseIds(text) ?? `Cannot read ${path}: no Uid, Gid or CapEff line`;
}

/** Where the tun driver is: a loaded module, built in, installed as a module, or nowhere. */
function findDriver(release: string | number): DriverState {
  if (typeof readText("/sys/module/tun/initstate") === "string") {
    return { kind: "module", where: "/sys/module/tun" };
  }
  const misc = readText("/sys/class/misc/tun/dev");
  if (typeof misc === "string") return { kind: "built-in", where: `/sys/class/misc/tun ${misc}` };
  if (typeof release === "string") {
    const dir = `/lib/modules/${release}`;
    const names = files.readDir(`${dir}/kernel/drivers/net`);
    const module = typeof names === "number" ? undefined : names.find((n) => /^tun\.ko/.test(n));
    if (module !== undefined) {
      return { kind: "loadable", where: `${dir}/kernel/drivers/net/${module}` };
    }
    const builtin = readText(`${dir}/modules.builtin`);
    if (typeof builtin === "string" && /(^|\/)tun\.ko$/m.test(builtin)) {
      return { kind: "built-in", where: `${dir}/modules.builtin` };
    }
  }
  const sysfs = files.readDir("/sys/class/misc");
  return typeof sysfs === "number"
    ? { kind: "unknown", where: cannotRead("/sys/class/misc", -sysfs) }
    : { kind: "absent", where: typeof release === "string" ? `/lib/modules/${release}` : "" };
}

/** Whether a node is the tun clone device. */
function isTunNode(node: libc.FileStatus | number): node is libc.FileStatus {
  return typeof node !== "number" && (node.mode & S_IFMT) === S_IFCHR &&
    node.rdevMajor === TUN_MAJOR && node.rdevMinor === TUN_MINOR;
}

/** Opens `/dev/net/tun` and asks the driver what it supports; closes it at once. */
function askDriver(): Facts["tun"] {
  try {
    using tun = TunFd.open();
    return { features: tun.features() };
  } catch (error) {
    if (error instanceof SyscallError) return { error };
    throw error;
  }
}

/** Whether this process's user namespace owns the network namespace, or an ancestor of it does. */
function netnsOwner(): NetnsOwner {
  try {
    using netns = NetnsFd.current();
    const fd = libc.ioctlVal(netns.fd, NS_GET_USERNS, 0n);
    // EPERM: the owner is neither this process's user namespace nor below it.
    if (fd === -EPERM) return "outside";
    if (fd < 0) return "unknown";
    let owner: number;
    try {
      owner = files.inodeOf(fd);
    } finally {
      libc.close(fd);
    }
    const own = files.readLink("/proc/thread-self/ns/user");
    if (owner < 0 || typeof own === "number") return "unknown";
    return own === `user:[${owner}]` ? "own" : "below";
  } catch {
    return "unknown";
  }
}

/** A line of `uid_map` or `gid_map`: ids from `inside` on are ids from `outside` on outside. */
type IdRange = readonly [inside: number, outside: number, count: number];

function readIdMap(path: string): IdRange[] | undefined {
  const text = readText(path);
  if (typeof text === "number") return undefined;
  return text.split("\n").map((line) => line.trim().split(/\s+/).map(Number))
    .filter((r): r is [number, number, number] => r.length === 3 && r.every(Number.isFinite));
}

/** Whether a map is the initial user namespace's (all ids, unchanged). */
function isInitialMap(map: readonly IdRange[] | undefined): boolean {
  return map === undefined ||
    (map.length === 1 && map[0]?.[0] === 0 && map[0][1] === 0 && map[0][2] === 4294967295);
}

/**
 * Whether an id a file reports is mapped in this process's user namespace
 * (an unmapped one reads as the overflow id, 65534).
 */
function isMapped(id: number, map: readonly IdRange[] | undefined): boolean {
  return isInitialMap(map) ||
    (map ?? []).some(([inside, , count]) => id >= inside && id - inside < count);
}

/** The inode and name of the calling thread's network namespace (inode 0: unreadable). */
function netnsIdentity(): { netnsInode: number; netnsName: string | null } {
  try {
    return { netnsInode: currentNetnsInode(), netnsName: currentNetnsName() };
  } catch (error) {
    if (error instanceof SyscallError) return { netnsInode: 0, netnsName: null };
    throw error;
  }
}

/** Reads everything the checks judge, in the calling thread's network namespace. */
function gather(): Facts {
  const release = readText("/proc/sys/kernel/osrelease");
  const node = libc.statPath(TUN_PATH);
  return {
    release,
    ids: readIds(),
    uidMap: readIdMap("/proc/self/uid_map"),
    gidMap: readIdMap("/proc/self/gid_map"),
    driver: findDriver(release),
    node,
    // Opened only when the node is the tun device (any other driver's open
    // could do something); the node's own finding says why not.
    tun: isTunNode(node) ? askDriver() : undefined,
    ...netnsIdentity(),
    owner: netnsOwner(),
    userns: {
      max: readText("/proc/sys/user/max_user_namespaces"),
      clone: readText("/proc/sys/kernel/unprivileged_userns_clone"),
      appArmor: readText("/proc/sys/kernel/apparmor_restrict_unprivileged_userns"),
    },
  };
}

/** What a check says. */
interface Finding {
  /** Whether it passed; `"skip"` when it could not be run. */
  ok: boolean | "skip";
  detail: string;
  hint?: string | undefined;
}

/** One check: its name, whether creating devices depends on it, and how it judges the facts. */
interface CheckSpec {
  readonly name: string;
  readonly required: boolean;
  readonly judge: (facts: Facts) => Finding;
}

/** A hint of the table, resolved (hints of `doctor` are about no device). */
function hintText(hint: Hint | undefined): string | undefined {
  return typeof hint === "function" ? hint({}) : hint;
}

/** The hint of opening `/dev/net/tun` failing with `errno`. */
function openHint(errno: number): string | undefined {
  return hintText(HINTS.create.open?.[errno]);
}

/** The `major.minor` of a kernel release, or `undefined`. */
function kernelVersion(release: string): [number, number] | undefined {
  const match = release.match(/^(\d+)\.(\d+)/);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** Whether unprivileged users may make user namespaces, and what stops them. */
function usernsBlock(userns: Facts["userns"]): keyof typeof DOCTOR_HINTS | undefined {
  if (typeof userns.max === "number") return "usernsMissing";
  if (userns.max === "0") return "usernsMax";
  if (userns.clone === "0") return "usernsClone";
  if (userns.appArmor === "1") return "usernsAppArmor";
  return undefined;
}

/** Who may open a node for reading and writing, by its mode. */
function whoMayOpen(
  { mode, uid, gid }: libc.FileStatus,
  uidMapped: boolean,
  gidMapped: boolean,
): string {
  const rw = (shift: number) => ((mode >> shift) & 0o6) === 0o6;
  if (rw(0)) return "anyone may open it";
  const who = [
    ...(rw(6) ? [uidMapped ? `uid ${uid}` : "its owner outside this user namespace"] : []),
    ...(rw(3) ? [gidMapped ? `group ${gid}` : "its group outside this user namespace"] : []),
    // A capability counts on a file only when its owner and group are mapped.
    ...(uidMapped && gidMapped ? ["CAP_DAC_OVERRIDE"] : []),
  ];
  if (who.length === 0) return "no process in this user namespace may open it";
  return `${who.length > 1 ? `${who.slice(0, -1).join(", ")} and ` : "only "}${
    who.at(-1)
  } may open it`;
}

function modeText(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, "0");
}

/** The checks, in the order they are reported. */
const CHECKS: readonly CheckSpec[] = [
  {
    name: "kernel",
    required: false,
    judge: ({ release }) =>
      typeof release === "number"
        ? {
          ok: false,
          detail: cannotRead("/proc/sys/kernel/osrelease", -release),
          hint: DOCTOR_HINTS.proc,
        }
        : { ok: true, detail: `Linux ${release}` },
  },
  {
    name: "tun driver",
    required: false,
    judge: ({ driver }) => {
      switch (driver.kind) {
        case "module":
          return { ok: true, detail: `loaded as a module (${driver.where})` };
        case "built-in":
          return { ok: true, detail: `built into the kernel (${driver.where})` };
        case "loadable":
          return {
            ok: true,
            detail: `not loaded; ${driver.where} is installed, and opening ${TUN_PATH} loads it`,
          };
        case "absent":
          return {
            ok: false,
            detail: `not loaded, not built in${
              driver.where === "" ? "" : `, no tun.ko in ${driver.where}`
            }`,
            hint: DOCTOR_HINTS.driver,
          };
        case "unknown":
          return { ok: false, detail: `cannot tell: ${driver.where}`, hint: undefined };
      }
    },
  },
  {
    name: TUN_PATH,
    required: true,
    judge: ({ node, uidMap, gidMap }) => {
      if (typeof node === "number") {
        return {
          ok: false,
          detail: `Cannot stat ${TUN_PATH}: ${errnoDescription(-node)}`,
          hint: openHint(-node),
        };
      }
      const type = node.mode & S_IFMT;
      const uidMapped = isMapped(node.uid, uidMap);
      const gidMapped = isMapped(node.gid, gidMap);
      const owner = `mode ${modeText(node.mode)}, owner uid ${node.uid} gid ${node.gid}${
        uidMapped && gidMapped ? "" : " (not mapped in this user namespace)"
      }`;
      if (type !== S_IFCHR) {
        return {
          ok: false,
          detail: `is ${
            FILE_TYPES[type] ?? "not a device"
          }, not the character device ${TUN_MAJOR}:${TUN_MINOR}`,
          hint: DOCTOR_HINTS.node,
        };
      }
      const number = `${node.rdevMajor}:${node.rdevMinor}`;
      if (node.rdevMajor !== TUN_MAJOR || node.rdevMinor !== TUN_MINOR) {
        return {
          ok: false,
          detail: `is the character device ${number}, not ${TUN_MAJOR}:${TUN_MINOR} (${owner})`,
          hint: DOCTOR_HINTS.node,
        };
      }
      return {
        ok: true,
        detail: `character device ${number}, ${owner}: ${whoMayOpen(node, uidMapped, gidMapped)}`,
      };
    },
  },
  {
    name: "open",
    required: true,
    judge: ({ tun }) => {
      if (tun === undefined) {
        return { ok: "skip", detail: `not tried: ${TUN_PATH} is not the tun device` };
      }
      if ("error" in tun && tun.error.syscall === "open") {
        return {
          ok: false,
          detail: `Cannot open ${TUN_PATH}: ${errnoDescription(tun.error.errno)}`,
          hint: openHint(tun.error.errno),
        };
      }
      return { ok: true, detail: `this process opens ${TUN_PATH} for reading and writing` };
    },
  },
  {
    name: "TUNGETFEATURES",
    required: true,
    judge: ({ tun }) => {
      if (tun === undefined || ("error" in tun && tun.error.syscall === "open")) {
        return { ok: "skip", detail: `not asked: ${TUN_PATH} did not open` };
      }
      if ("error" in tun) {
        return {
          ok: false,
          detail: `Cannot read the driver's features: ${tun.error.syscall}: ${
            errnoDescription(tun.error.errno)
          }`,
          hint: DOCTOR_HINTS.features,
        };
      }
      const names = featureNames(tun.features);
      const ok = (tun.features & (IFF_TUN | IFF_TAP)) !== 0;
      return {
        ok,
        detail: `${names.join(" ")} (0x${tun.features.toString(16).padStart(4, "0")})`,
        ...(ok ? {} : { hint: DOCTOR_HINTS.features }),
      };
    },
  },
  {
    name: "IFLA_TUN",
    required: false,
    judge: ({ release }) => {
      const version = typeof release === "string" ? kernelVersion(release) : undefined;
      const since = IFLA_TUN_SINCE.join(".");
      if (version === undefined) {
        return {
          ok: false,
          detail: "cannot tell: the kernel release was not read",
          hint: undefined,
        };
      }
      const [major, minor] = version;
      const ok = major > IFLA_TUN_SINCE[0] ||
        (major === IFLA_TUN_SINCE[0] && minor >= IFLA_TUN_SINCE[1]);
      return ok
        ? { ok, detail: `rtnetlink reports IFLA_TUN_* (Linux ${major}.${minor} >= ${since})` }
        : {
          ok,
          detail: `rtnetlink does not report IFLA_TUN_* (Linux ${major}.${minor} < ${since})`,
          hint: DOCTOR_HINTS.netlink,
        };
    },
  },
  {
    name: "user",
    required: false,
    judge: ({ ids, uidMap }) => {
      if (typeof ids === "string") return { ok: false, detail: ids, hint: DOCTOR_HINTS.proc };
      const groups = ids.groups.length === 0 ? "none" : ids.groups.join(",");
      const userns = isInitialMap(uidMap)
        ? ""
        : `, in a user namespace (uid_map ${uidMap?.map((r) => r.join(" ")).join(", ")})`;
      return {
        ok: true,
        detail:
          `uid ${ids.uid} euid ${ids.euid} gid ${ids.gid} egid ${ids.egid} groups ${groups}${userns}`,
      };
    },
  },
  {
    name: "CAP_NET_ADMIN",
    required: true,
    judge: ({ ids, owner, userns, node }) => {
      if (typeof ids === "string") {
        return { ok: false, detail: `cannot tell: ${ids}`, hint: DOCTOR_HINTS.proc };
      }
      const capEff = `CapEff ${ids.capEffText}`;
      if (((ids.capEff >> CAP_NET_ADMIN) & 1n) === 0n) {
        // In namespaces of its own, a user opens the node as anyone else.
        const alternative = usernsBlock(userns) === undefined && isTunNode(node) &&
            (node.mode & 0o6) === 0o6
          ? `; ${DOCTOR_HINTS.ownNamespaces}`
          : "";
        return {
          ok: false,
          detail: `not in the effective set (${capEff})`,
          hint: `${hintText(HINTS.create["ioctl(TUNSETIFF)"]?.[EPERM])}${alternative}`,
        };
      }
      if (owner === "outside") {
        return {
          ok: false,
          detail:
            `in the effective set (${capEff}), but the network namespace belongs to a user namespace above this process's`,
          hint: DOCTOR_HINTS.foreignNetns,
        };
      }
      const where = {
        own: ", in the user namespace that owns the network namespace",
        below: ", in an ancestor of the user namespace that owns the network namespace",
        unknown: "",
      }[owner];
      return { ok: true, detail: `in the effective set (${capEff})${where}` };
    },
  },
  {
    name: "user namespaces",
    required: false,
    judge: ({ userns }) => {
      const settings = [
        typeof userns.max === "string" ? `user.max_user_namespaces ${userns.max}` : undefined,
        typeof userns.clone === "string"
          ? `kernel.unprivileged_userns_clone ${userns.clone}`
          : undefined,
        typeof userns.appArmor === "string"
          ? `kernel.apparmor_restrict_unprivileged_userns ${userns.appArmor}`
          : undefined,
      ].filter((s) => s !== undefined).join(", ");
      const block = usernsBlock(userns);
      if (typeof userns.max === "number") {
        const path = "/proc/sys/user/max_user_namespaces";
        return {
          ok: false,
          detail: `not available: ${cannotRead(path, -userns.max)}`,
          hint: DOCTOR_HINTS.usernsMissing,
        };
      }
      return block === undefined
        ? { ok: true, detail: `unprivileged users may create them (${settings})` }
        : {
          ok: false,
          detail: `unprivileged users may not create them (${settings})`,
          hint: DOCTOR_HINTS[block],
        };
    },
  },
  {
    name: "network namespace",
    required: false,
    judge: ({ netnsInode, netnsName }) =>
      netnsInode === 0
        ? {
          ok: false,
          detail: "cannot tell: /proc/thread-self/ns/net was not read",
          hint: DOCTOR_HINTS.proc,
        }
        : {
          ok: true,
          detail: `net:[${netnsInode}]${
            netnsName === null ? ", no name in /run/netns" : `, named "${netnsName}" in /run/netns`
          }`,
        },
  },
];

/**
 * The names of the `TUNSETIFF` flags in a `TUNGETFEATURES` answer; bits
 * without a name as hexadecimal.
 *
 * @param features The answer.
 * @returns The names: the types first, then the flags.
 */
export function featureNames(features: number): string[] {
  const names = FEATURES.filter(([bit]) => (features & bit) !== 0).map(([, name]) => name);
  const known = FEATURES.reduce((all, [bit]) => all | bit, 0);
  const rest = features & ~known;
  return rest === 0 ? names : [...names, `0x${rest.toString(16)}`];
}

/**
 * Examines what this machine allows: whether TUN/TAP devices can be created
 * here, and why not. Creates nothing; opens `/dev/net/tun` only to ask the
 * driver what it supports, and closes it at once.
 *
 * @param options Where to look: a network namespace other than the calling
 *   thread's.
 * @returns The findings.
 * @throws {TunTapError} When the network namespace cannot be entered.
 */
export function diagnose(options: NetnsOptions = {}): Diagnosis {
  const facts = operate(
    options.netns === undefined
      ? "Cannot examine this machine"
      : `Cannot examine network namespace "${options.netns}"`,
    undefined,
    {},
    options.netns,
    gather,
  );
  const checks = CHECKS.map(({ name, required, judge }): DoctorCheck => {
    const { ok, detail, hint } = judge(facts);
    const status: CheckStatus = ok === "skip" ? "skip" : ok ? "ok" : required ? "fail" : "warn";
    return { name, ok: ok === true, status, required, detail, hint };
  });
  const ids = typeof facts.ids === "string" ? undefined : facts.ids;
  return {
    canCreate: checks.every((c) => c.ok || !c.required),
    kernel: typeof facts.release === "string" ? facts.release : undefined,
    features: facts.tun !== undefined && "features" in facts.tun
      ? featureNames(facts.tun.features)
      : undefined,
    uid: ids?.uid,
    euid: ids?.euid,
    capNetAdmin: checks.find((c) => c.name === "CAP_NET_ADMIN")?.ok ?? false,
    netns: facts.netnsName,
    netnsInode: facts.netnsInode,
    checks,
  };
}
