/**
 * The floor of `tuntap show` and `tuntap -j show`: the least a one-file
 * `deno run` program does to print the same bytes. `bench/run.ts` measures
 * `tuntap` against it, so that what `tuntap` costs beyond starting Deno and
 * asking the kernel once can be told apart from what it cannot avoid.
 *
 *     deno run --allow-ffi bench/floor/show.ts        # as `ip tuntap show`
 *     deno run --allow-ffi bench/floor/show.ts -j     # as `tuntap -j show`
 *
 * What it does, and nothing more: one `Deno.dlopen` of libc with three
 * symbols (`socket`, `send`, `recv`; the socket closes at exit), one
 * rtnetlink RTM_GETLINK dump, every reply received into one reused buffer
 * and decoded there through typed-array views of it (no object per device or
 * attribute), the text built as bytes in one growing buffer and written at
 * the end in one write. The request asks the kernel to leave out other kinds
 * of links (IFLA_LINKINFO { IFLA_INFO_KIND "tun" }, as `ip` asks) and the
 * statistics (IFLA_EXT_MASK RTEXT_FILTER_SKIP_STATS): on Linux 6.18 that
 * makes a tun's message 1136 bytes instead of 1504 (4.5 MB instead of 6.0 MB
 * for 4000 devices, in 145 replies of about 31 KiB), though the time saved
 * is within the noise; the kind filter saves only where other links abound.
 *
 * The output, found by experiment against iproute2 6.1 and `tuntap`:
 *
 * - one line per tun/tap device, in dump order (ifindex order):
 *   `NAME: tun|tap[ pi][ multi_queue][ vnet_hdr][ persist][ filter][ user U][ group G]`;
 *   `filter` shows exactly when `pi` does (IFF_NOFILTER has the value of
 *   IFF_NO_PI); the owner and group show only when set (the kernel leaves
 *   their attributes out otherwise); the name is written as its bytes.
 *   Nothing else: `Attached to processes:` lines come only with `-d`.
 * - `ip` also prints `one_queue` (after `pi`) for devices created with it:
 *   it reads sysfs `tun_flags`, which rtnetlink does not carry. `tuntap`
 *   reads rtnetlink only, so neither it nor this floor prints `one_queue`.
 * - `-j`: `[{"ifname":"NAME","flags":["tun",…],"user":U,"group":G},…]` and a
 *   newline (`[]` and a newline when there is none). The name is quoted as
 *   `tuntap` quotes it (and newer iproute2): `\"`, `\\`, the short escapes,
 *   `\u00XX` for other control bytes and DEL, each byte of an invalid UTF-8
 *   sequence as `\udcXX`, everything else as is. (iproute2 6.1 writes
 *   control bytes raw.)
 *
 * @module
 */

const AF_NETLINK = 16;
const SOCK_RAW_CLOEXEC = 3 | 0x80000;
const NETLINK_ROUTE = 0;
const RTM_GETLINK = 18;
const RTM_NEWLINK = 16;
const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
const NLM_F_REQUEST_DUMP = 0x1 | 0x300;
const IFLA_IFNAME = 3;
const IFLA_LINKINFO = 18;
const IFLA_EXT_MASK = 29;
const RTEXT_FILTER_SKIP_STATS = 1 << 3;
const IFLA_INFO_KIND = 1;
const IFLA_INFO_DATA = 2;
const IFLA_TUN_OWNER = 1;
const IFLA_TUN_GROUP = 2;
const IFLA_TUN_TYPE = 3;
const IFLA_TUN_PI = 4;
const IFLA_TUN_VNET_HDR = 5;
const IFLA_TUN_PERSIST = 6;
const IFLA_TUN_MULTI_QUEUE = 7;
const IFF_TAP = 2;
const UNSET = 0xffffffff;

const json = Deno.args[0] === "-j";

// `pointer` parameters and `i32` results: cheaper to bind and to call than
// `buffer` parameters and `isize` (BigInt) results; sizes stay far below 2 GiB.
const libc = Deno.dlopen("libc.so.6", {
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
  send: { parameters: ["i32", "pointer", "usize", "i32"], result: "i32" },
  recv: { parameters: ["i32", "pointer", "usize", "i32"], result: "i32" },
}).symbols;

function fail(what: string): never {
  Deno.stderr.writeSync(new TextEncoder().encode(`show: ${what}\n`));
  Deno.exit(1);
}

// The request: nlmsghdr, ifinfomsg (AF_UNSPEC), IFLA_EXT_MASK, and
// IFLA_LINKINFO { IFLA_INFO_KIND "tun" }, which makes the kernel filter.
const request = new Uint8Array(52);
const request16 = new Uint16Array(request.buffer);
const request32 = new Uint32Array(request.buffer);
request32[0] = 52; // nlmsg_len
request16[2] = RTM_GETLINK;
request16[3] = NLM_F_REQUEST_DUMP;
request32[2] = 1; // nlmsg_seq; ifinfomsg (16 bytes from 16) stays zero: AF_UNSPEC
request16[16] = 8;
request16[17] = IFLA_EXT_MASK;
request32[9] = RTEXT_FILTER_SKIP_STATS;
request16[20] = 12;
request16[21] = IFLA_LINKINFO;
request16[22] = 8;
request16[23] = IFLA_INFO_KIND;
request.set([0x74, 0x75, 0x6e], 48); // "tun"

const fd = libc.socket(AF_NETLINK, SOCK_RAW_CLOEXEC, NETLINK_ROUTE);
if (fd < 0) fail("cannot open a netlink socket");
if (libc.send(fd, Deno.UnsafePointer.of(request), 52n, 0) !== 52) fail("cannot send the request");

// Every reply lands here; the kernel fills at most about 32 KiB per reply.
const BUF_SIZE = 1n << 16n;
const buf = new Uint8Array(Number(BUF_SIZE));
const bufPtr = Deno.UnsafePointer.of(buf);
// Netlink is in the host's byte order, as typed arrays are; they also read
// faster than a DataView before the JIT has warmed up.
const u16 = new Uint16Array(buf.buffer);
const u32 = new Uint32Array(buf.buffer);

let out = new Uint8Array(1 << 16);
let o = 0;

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const SEP = json ? ascii(",") : ascii("");
const START = json ? ascii('{"ifname":"') : ascii("");
const TUN = json ? ascii('","flags":["tun"') : ascii(": tun");
const TAP = json ? ascii('","flags":["tap"') : ascii(": tap");
const PI = json ? ascii(',"pi"') : ascii(" pi");
const MULTI_QUEUE = json ? ascii(',"multi_queue"') : ascii(" multi_queue");
const VNET_HDR = json ? ascii(',"vnet_hdr"') : ascii(" vnet_hdr");
const PERSIST = json ? ascii(',"persist"') : ascii(" persist");
const FILTER = json ? ascii(',"filter"') : ascii(" filter");
const USER = json ? ascii('],"user":') : ascii(" user ");
const GROUP = json ? ascii(',"group":') : ascii(" group ");
const FLAGS_END = json ? ascii("]") : ascii("");
const END = json ? ascii("}") : ascii("\n");
const HEX = ascii("0123456789abcdef");
/** The letter after the backslash of each short JSON escape, by byte; 0 for none. */
const SHORT = new Uint8Array(0x80);
for (const pair of [`""`, "\\\\", "\bb", "\tt", "\nn", "\ff", "\rr"]) {
  SHORT[pair.charCodeAt(0)] = pair.charCodeAt(1);
}

function put(bytes: Uint8Array): void {
  for (let i = 0; i < bytes.length; i++) out[o++] = bytes[i] as number;
}

function putNumber(n: number): void {
  let digits = 1;
  for (let m = n; m >= 10; m = Math.floor(m / 10)) digits++;
  o += digits;
  for (let at = o - 1; digits-- > 0; n = Math.floor(n / 10)) out[at--] = 0x30 + n % 10;
}

function putEscape(prefix: number, code: number): void {
  out[o++] = 0x5c; // backslash
  out[o++] = 0x75; // u
  out[o++] = HEX[prefix >> 4] as number;
  out[o++] = HEX[prefix & 15] as number;
  out[o++] = HEX[code >> 4] as number;
  out[o++] = HEX[code & 15] as number;
}

/** Length of the valid UTF-8 sequence at `at`, or 0 (the WHATWG decoder's rules). */
function utf8Length(at: number, end: number): number {
  const b = buf[at] as number;
  let length = 4;
  let low = 0x80;
  let high = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) length = 2;
  else if (b >= 0xe0 && b <= 0xef) {
    length = 3;
    if (b === 0xe0) low = 0xa0;
    if (b === 0xed) high = 0x9f;
  } else if (b === 0xf0) low = 0x90;
  else if (b === 0xf4) high = 0x8f;
  else if (b < 0xf0 || b > 0xf4) return 0;
  if (at + length > end) return 0;
  const second = buf[at + 1] as number;
  if (second < low || second > high) return 0;
  for (let k = 2; k < length; k++) {
    const c = buf[at + k] as number;
    if (c < 0x80 || c > 0xbf) return 0;
  }
  return length;
}

/** Copies the name at buf[start, end) into the output, quoted for JSON with `-j`. */
function putName(start: number, end: number): void {
  if (!json) {
    for (let i = start; i < end; i++) out[o++] = buf[i] as number;
    return;
  }
  for (let i = start; i < end;) {
    const b = buf[i] as number;
    if (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c) {
      out[o++] = b;
      i++;
    } else if (b < 0x80) {
      const short = SHORT[b] as number;
      if (short === 0) putEscape(0x00, b);
      else {
        out[o++] = 0x5c;
        out[o++] = short;
      }
      i++;
    } else {
      const length = utf8Length(i, end);
      if (length === 0) {
        putEscape(0xdc, b);
        i++;
      } else {
        for (const stop = i + length; i < stop; i++) out[o++] = buf[i] as number;
      }
    }
  }
}

// One device's fields, as the attributes of its message give them.
let nameStart = 0;
let nameEnd = 0;
let isTun = false;
let type = 0;
let pi = 0;
let vnetHdr = 0;
let persist = 0;
let multiQueue = 0;
let owner = UNSET;
let group = UNSET;
let devices = 0;

function readTunData(start: number, end: number): void {
  for (let p = start; p + 4 <= end;) {
    const length = u16[p >> 1] as number;
    if (length < 4) return;
    const kind = (u16[(p >> 1) + 1] as number) & 0x3fff;
    if (kind === IFLA_TUN_TYPE) type = buf[p + 4] as number;
    else if (kind === IFLA_TUN_PI) pi = buf[p + 4] as number;
    else if (kind === IFLA_TUN_VNET_HDR) vnetHdr = buf[p + 4] as number;
    else if (kind === IFLA_TUN_PERSIST) persist = buf[p + 4] as number;
    else if (kind === IFLA_TUN_MULTI_QUEUE) multiQueue = buf[p + 4] as number;
    else if (kind === IFLA_TUN_OWNER) owner = u32[(p >> 2) + 1] as number;
    else if (kind === IFLA_TUN_GROUP) group = u32[(p >> 2) + 1] as number;
    p += (length + 3) & ~3;
  }
}

function readLinkInfo(start: number, end: number): void {
  for (let p = start; p + 4 <= end;) {
    const length = u16[p >> 1] as number;
    if (length < 4) return;
    const kind = (u16[(p >> 1) + 1] as number) & 0x3fff;
    if (kind === IFLA_INFO_KIND) {
      isTun = length >= 7 && buf[p + 4] === 0x74 && buf[p + 5] === 0x75 && buf[p + 6] === 0x6e &&
        (length === 7 || buf[p + 7] === 0);
    } else if (kind === IFLA_INFO_DATA) readTunData(p + 4, p + length);
    p += (length + 3) & ~3;
  }
}

/** Decodes the RTM_NEWLINK message at buf[start, end) and prints it if it is a tun/tap. */
function readLink(start: number, end: number): void {
  isTun = false;
  type = 0;
  pi = 0;
  vnetHdr = 0;
  persist = 0;
  multiQueue = 0;
  owner = UNSET;
  group = UNSET;
  for (let p = start + 32; p + 4 <= end;) {
    const length = u16[p >> 1] as number;
    if (length < 4) break;
    const kind = (u16[(p >> 1) + 1] as number) & 0x3fff;
    if (kind === IFLA_IFNAME) {
      nameEnd = nameStart = p + 4;
      while (nameEnd < p + length && buf[nameEnd] !== 0) nameEnd++;
    } else if (kind === IFLA_LINKINFO) readLinkInfo(p + 4, p + length);
    p += (length + 3) & ~3;
  }
  if (!isTun) return;
  if (o + 512 > out.length) {
    const bigger = new Uint8Array(out.length * 2);
    bigger.set(out.subarray(0, o));
    out = bigger;
  }
  if (devices++ > 0) put(SEP);
  put(START);
  putName(nameStart, nameEnd);
  put(type === IFF_TAP ? TAP : TUN);
  if (pi) put(PI);
  if (multiQueue) put(MULTI_QUEUE);
  if (vnetHdr) put(VNET_HDR);
  if (persist) put(PERSIST);
  if (pi) put(FILTER);
  if (owner !== UNSET) {
    put(USER);
    putNumber(owner);
  } else put(FLAGS_END);
  if (group !== UNSET) {
    put(GROUP);
    putNumber(group);
  }
  put(END);
}

if (json) out[o++] = 0x5b; // [
receive: for (;;) {
  const n = libc.recv(fd, bufPtr, BUF_SIZE, 0);
  if (n <= 0) fail("cannot receive the dump");
  for (let p = 0; p + 16 <= n;) {
    const length = u32[p >> 2] as number;
    const kind = u16[(p >> 1) + 2] as number;
    if (kind === NLMSG_DONE) break receive;
    if (kind === NLMSG_ERROR && u32[(p >> 2) + 4] !== 0) {
      fail(`the kernel refused the dump (errno ${-((u32[(p >> 2) + 4] as number) | 0)})`);
    }
    if (kind === RTM_NEWLINK) readLink(p, p + length);
    p += (length + 3) & ~3;
  }
}
if (json) {
  out[o++] = 0x5d; // ]
  out[o++] = 0x0a;
}
for (let done = 0; done < o;) done += Deno.stdout.writeSync(out.subarray(done, o));
