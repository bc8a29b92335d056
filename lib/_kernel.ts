/**
 * Kernel ABI numbers used by the library: TUN ioctls and flags, open and
 * socket flags, errno values (x86_64 and aarch64, the architectures Deno
 * runs on Linux; both use the asm-generic ioctl encoding).
 *
 * @module
 */

/** `_IOW('T', 202, int)`: create a device or attach to one. */
export const TUNSETIFF = 0x400454can;
/** `_IOW('T', 203, int)`: set or clear persistence (value argument). */
export const TUNSETPERSIST = 0x400454cbn;
/** `_IOW('T', 204, int)`: set the owner uid (value argument). */
export const TUNSETOWNER = 0x400454ccn;
/** `_IOW('T', 206, int)`: set the group gid (value argument). */
export const TUNSETGROUP = 0x400454cen;
/** `_IOR('T', 207, unsigned int)`: flags TUNSETIFF supports. */
export const TUNGETFEATURES = 0x800454cfn;
/** `_IOR('T', 210, unsigned int)`: name and flags of the attached device. */
export const TUNGETIFF = 0x800454d2n;
/** `_IO('T', 227)`: a new descriptor of the attached device's network namespace. */
export const TUNGETDEVNETNS = 0x54e3n;
/** `_IOW('T', 217, int)`: attach or detach this queue. */
export const TUNSETQUEUE = 0x400454d9n;

/** TUNSETIFF flag: layer-3 device. */
export const IFF_TUN = 0x0001;
/** TUNSETIFF flag: layer-2 device. */
export const IFF_TAP = 0x0002;
/** TUNSETIFF flag: NAPI receive path. */
export const IFF_NAPI = 0x0010;
/** TUNSETIFF flag: NAPI frags. */
export const IFF_NAPI_FRAGS = 0x0020;
/** TUNSETIFF flag: create without carrier. */
export const IFF_NO_CARRIER = 0x0040;
/** TUNSETIFF flag: multi-queue device. */
export const IFF_MULTI_QUEUE = 0x0100;
/** TUNSETQUEUE flag: re-enable this queue. */
export const IFF_ATTACH_QUEUE = 0x0200;
/** TUNSETQUEUE flag: disable this queue. */
export const IFF_DETACH_QUEUE = 0x0400;
/** Device flag: persistent (read-only for TUNSETIFF). */
export const IFF_PERSIST = 0x0800;
/** TUNSETIFF flag: no packet information header. */
export const IFF_NO_PI = 0x1000;
/** TUNSETIFF flag: obsolete, stored but without effect. */
export const IFF_ONE_QUEUE = 0x2000;
/** TUNSETIFF flag: virtio-net header. */
export const IFF_VNET_HDR = 0x4000;
/** TUNSETIFF flag: fail with EBUSY if the name exists. */
export const IFF_TUN_EXCL = 0x8000;

/** `open` flag: read only. */
export const O_RDONLY = 0;
/** `open` flag: read and write. */
export const O_RDWR = 2;
/** `open` flag: non-blocking. */
export const O_NONBLOCK = 0x800;
/** `open` flag: close on exec. */
export const O_CLOEXEC = 0x80000;

/** `socket` type: raw. */
export const SOCK_RAW = 3;
/** `socket` flag: close on exec. */
export const SOCK_CLOEXEC = 0x80000;
/** Netlink protocol: routing. */
export const NETLINK_ROUTE = 0;
/** `setsockopt` level: sockets. */
export const SOL_SOCKET = 1;
/** `setsockopt` level: netlink. */
export const SOL_NETLINK = 270;
/** Socket option: receive buffer size. */
export const SO_RCVBUF = 8;
/** Socket option: receive buffer size, past `rmem_max` (needs CAP_NET_ADMIN). */
export const SO_RCVBUFFORCE = 33;
/** Socket option: receive timeout (`struct timeval`). */
export const SO_RCVTIMEO = 20;
/** Netlink option: join a multicast group. */
export const NETLINK_ADD_MEMBERSHIP = 1;
/** Netlink option: do not echo the request in error acks. */
export const NETLINK_CAP_ACK = 10;
/** Netlink option: extended acks with text messages. */
export const NETLINK_EXT_ACK = 11;
/** Netlink option: strict checking of dump requests. */
export const NETLINK_GET_STRICT_CHK = 12;
/** `recv` flag: report the real datagram length. */
export const MSG_TRUNC = 0x20;
/** `recv` flag: do not block. */
export const MSG_DONTWAIT = 0x40;

/** `setns` type: network namespace. */
export const CLONE_NEWNET = 0x40000000;

/** poll: data to read. */
export const POLLIN = 0x1;

/** errno: operation not permitted. */
export const EPERM = 1;
/** errno: no such file or directory. */
export const ENOENT = 2;
/** errno: interrupted system call. */
export const EINTR = 4;
/** errno: bad file descriptor. */
export const EBADF = 9;
/** errno: try again. */
export const EAGAIN = 11;
/** errno: permission denied. */
export const EACCES = 13;
/** errno: device or resource busy. */
export const EBUSY = 16;
/** errno: file exists. */
export const EEXIST = 17;
/** errno: no such device. */
export const ENODEV = 19;
/** errno: invalid argument. */
export const EINVAL = 22;
/** errno: too many open files in system (no free `%d` index). */
export const ENFILE = 23;
/** errno: too many open files in this process. */
export const EMFILE = 24;
/** errno: numerical result out of range. */
export const ERANGE = 34;
/** errno: stale file handle (here: a device changed identity while worked on). */
export const ESTALE = 116;
/** errno: bad message. */
export const EBADMSG = 74;
/** errno: file descriptor in bad state. */
export const EBADFD = 77;
/** errno: operation not supported. */
export const EOPNOTSUPP = 95;
/** errno: cannot assign requested address. */
export const EADDRNOTAVAIL = 99;
/** errno: no buffer space available. */
export const ENOBUFS = 105;
