/**
 * The floor of `tuntap -batch FILE` for a file of `tuntap add` lines: the
 * least a one-file `deno run` program does to create the same devices as
 * `ip -batch FILE`. `bench/run.ts` measures `tuntap` against it, so that what
 * `tuntap` costs beyond starting Deno and the kernel's own work can be told
 * apart from what it cannot avoid.
 *
 *     deno run --allow-ffi --allow-read bench/floor/create.ts FILE
 *
 * FILE holds lines `tuntap add [dev|name] NAME mode tun|tap` (the words
 * after `add` in any order); empty lines and `#` comments are skipped,
 * anything else is an error. The file is read once and parsed as bytes in place. One
 * `Deno.dlopen` of libc; per line, what `ip tuntap add` does (seen with
 * strace and gdb on iproute2 6.1): `open("/dev/net/tun", O_RDWR)` (here with
 * O_CLOEXEC), `ioctl(TUNSETIFF)` with one reused 40-byte `struct ifreq` whose
 * flags are IFF_TUN or IFF_TAP, IFF_NO_PI and IFF_TUN_EXCL (0x9001, 0x9002:
 * an existing device is an error, EBUSY, not attached to),
 * `ioctl(TUNSETPERSIST, 1)`, `close`. The first failure ends the run with
 * status 1 and ip's messages (`ioctl(TUNSETIFF): Device or resource busy`,
 * then `Command failed FILE:LINE`); the devices made before it stay.
 *
 * @module
 */

const O_RDWR_CLOEXEC = 0x2 | 0x80000;
const TUNSETIFF = 0x400454can;
const TUNSETPERSIST = 0x400454cbn;
const IFF_TUN = 0x0001;
const IFF_TAP = 0x0002;
const IFF_NO_PI = 0x1000;
const IFF_TUN_EXCL = 0x8000;
const IFNAMSIZ = 16;
/** Most words a line may have. */
const MAX_WORDS = 16;

const libc = Deno.dlopen("libc.so.6", {
  // int open(const char *pathname, int flags, mode_t mode);
  open: { parameters: ["pointer", "i32", "u32"], result: "i32" },
  // int ioctl(int fd, unsigned long request, struct ifreq *ifr);
  ioctlPtr: { name: "ioctl", parameters: ["i32", "u64", "pointer"], result: "i32" },
  // int ioctl(int fd, unsigned long request, unsigned long value);
  ioctlInt: { name: "ioctl", parameters: ["i32", "u64", "u64"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
  // Only when something failed: int *__errno_location(void); char *strerror(int);
  errnoLocation: { name: "__errno_location", parameters: [], result: "pointer" },
  strerror: { parameters: ["i32"], result: "pointer" },
}).symbols;

const path = Deno.args[0];
let line = 0;
if (path === undefined) fail("usage: create.ts FILE");
const text = Deno.readFileSync(path);

function fail(message: string): never {
  const where = line > 0 ? `\nCommand failed ${path}:${line}` : "";
  Deno.stderr.writeSync(new TextEncoder().encode(`${message}${where}\n`));
  Deno.exit(1);
}

function failErrno(call: string): never {
  const errno = new Deno.UnsafePointerView(libc.errnoLocation()!).getInt32();
  fail(`${call}: ${Deno.UnsafePointerView.getCString(libc.strerror(errno)!)}`);
}

const ascii = (word: string) => Uint8Array.from(word, (c) => c.charCodeAt(0));
const TUNTAP = ascii("tuntap");
const ADD = ascii("add");
const DEV = ascii("dev");
const NAME = ascii("name");
const MODE = ascii("mode");
const TUN = ascii("tun");
const TAP = ascii("tap");

const devNetTun = ascii("/dev/net/tun\0");
const devNetTunPtr = Deno.UnsafePointer.of(devNetTun);
const ifreq = new Uint8Array(40);
const ifreqPtr = Deno.UnsafePointer.of(ifreq);
/** ifr_flags, a short in the host's byte order at byte 16. */
const ifreq16 = new Uint16Array(ifreq.buffer);

/** Start and end of each word of the line, in `text`. */
const bounds = new Int32Array(2 * MAX_WORDS);

/** Whether word `w` of the line is `word`. */
function is(w: number, word: Uint8Array): boolean {
  const start = bounds[2 * w] as number;
  if ((bounds[2 * w + 1] as number) - start !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (text[start + i] !== word[i]) return false;
  return true;
}

for (let at = 0; at < text.length;) {
  let end = text.indexOf(0x0a, at);
  if (end < 0) end = text.length;
  line++;
  let words = 0;
  for (let i = at; i < end;) {
    let c = text[i] as number;
    if (c === 0x20 || c === 0x09 || c === 0x0d) {
      i++;
      continue;
    }
    if (words === MAX_WORDS) fail("Too many words");
    bounds[2 * words] = i;
    while (i < end && (c = text[i] as number) !== 0x20 && c !== 0x09 && c !== 0x0d) i++;
    bounds[2 * words++ + 1] = i;
  }
  at = end + 1;
  if (words === 0 || text[bounds[0] as number] === 0x23) continue; // empty, or # comment
  if (words < 2 || !is(0, TUNTAP) || !is(1, ADD)) fail("Only `tuntap add` lines are supported");

  let name = -1;
  let mode = 0;
  for (let w = 2; w < words; w++) {
    if (is(w, MODE)) {
      if (++w === words) fail('Command line is not complete. Try option "help"');
      mode = is(w, TUN) ? IFF_TUN : is(w, TAP) ? IFF_TAP : fail("Unknown tunnel mode");
    } else {
      if ((is(w, DEV) || is(w, NAME)) && ++w === words) {
        fail('Command line is not complete. Try option "help"');
      }
      name = w;
    }
  }
  if (mode === 0) fail("You failed to specify a tunnel mode");
  if (name < 0) fail("No device name given");
  const start = bounds[2 * name] as number;
  const length = (bounds[2 * name + 1] as number) - start;
  if (length >= IFNAMSIZ) fail("Device name too long");

  ifreq.fill(0, 0, IFNAMSIZ);
  for (let i = 0; i < length; i++) ifreq[i] = text[start + i] as number;
  ifreq16[8] = mode | IFF_NO_PI | IFF_TUN_EXCL;

  const fd = libc.open(devNetTunPtr, O_RDWR_CLOEXEC, 0);
  if (fd < 0) failErrno('open("/dev/net/tun")');
  if (libc.ioctlPtr(fd, TUNSETIFF, ifreqPtr) < 0) failErrno("ioctl(TUNSETIFF)");
  if (libc.ioctlInt(fd, TUNSETPERSIST, 1n) < 0) failErrno("ioctl(TUNSETPERSIST)");
  libc.close(fd);
}
