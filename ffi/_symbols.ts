/**
 * The libc symbols this package binds, with their C prototypes.
 *
 * No symbol is `nonblocking`: every call runs on the calling thread, so errno
 * can be read right after it and `setns` switches the thread that then opens
 * the descriptors. `ssize_t` results are declared `i32` (sizes here stay far
 * below 2 GiB, and -1 keeps its value): an `isize` result would be a BigInt,
 * allocated between the call and the errno read.
 *
 * @module
 */

/** libc symbols, typed for `Deno.dlopen`. */
export const LIBC_SYMBOLS = {
  // int open(const char *pathname, int flags, mode_t mode);
  open: { parameters: ["buffer", "i32", "u32"], result: "i32" },
  // int close(int fd);
  close: { parameters: ["i32"], result: "i32" },
  // ssize_t read(int fd, void *buf, size_t count);
  read: { parameters: ["i32", "buffer", "usize"], result: "i32" },
  // ssize_t write(int fd, const void *buf, size_t count);
  write: { parameters: ["i32", "buffer", "usize"], result: "i32" },
  // ssize_t readlink(const char *path, char *buf, size_t size);
  readlink: { parameters: ["buffer", "buffer", "usize"], result: "i32" },
  // int fstat(int fd, struct stat *statbuf);   (glibc >= 2.33)
  fstat: { parameters: ["i32", "buffer"], result: "i32" },
  // ssize_t getdents64(int fd, void *dirp, size_t count);   (glibc >= 2.30)
  getdents64: { parameters: ["i32", "buffer", "usize"], result: "i32" },
  // int ioctl(int fd, unsigned long request, void *argp);
  // (TUNSETIFF, TUNGETIFF, TUNGETFEATURES, TUNSETQUEUE, TUNSETIFINDEX)
  ioctlPtr: { name: "ioctl", parameters: ["i32", "u64", "buffer"], result: "i32" },
  // int ioctl(int fd, unsigned long request, unsigned long value);
  // (TUNSETPERSIST, TUNSETOWNER, TUNSETGROUP, TUNSETOFFLOAD)
  ioctlVal: { name: "ioctl", parameters: ["i32", "u64", "u64"], result: "i32" },
  // int socket(int domain, int type, int protocol);
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
  // int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen);
  bind: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  // int getsockname(int sockfd, struct sockaddr *addr, socklen_t *addrlen);
  getsockname: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  // int setsockopt(int sockfd, int level, int optname, const void *optval,
  //                socklen_t optlen);
  setsockopt: {
    parameters: ["i32", "i32", "i32", "buffer", "u32"],
    result: "i32",
  },
  // ssize_t sendto(int sockfd, const void *buf, size_t len, int flags,
  //                const struct sockaddr *dest_addr, socklen_t addrlen);
  sendto: {
    parameters: ["i32", "buffer", "usize", "i32", "buffer", "u32"],
    result: "i32",
  },
  // ssize_t recv(int sockfd, void *buf, size_t len, int flags);
  recv: { parameters: ["i32", "buffer", "usize", "i32"], result: "i32" },
  // int poll(struct pollfd *fds, nfds_t nfds, int timeout);
  poll: { parameters: ["buffer", "u64", "i32"], result: "i32" },
  // int setns(int fd, int nstype);
  setns: { parameters: ["i32", "i32"], result: "i32" },
  // int *__errno_location(void);
  __errno_location: { parameters: [], result: "pointer" },
  // const char *strerrordesc_np(int errnum);   (glibc >= 2.32)
  strerrordesc_np: { parameters: ["i32"], result: "pointer", optional: true },
  // const char *strerrorname_np(int errnum);   (glibc >= 2.32)
  strerrorname_np: { parameters: ["i32"], result: "pointer", optional: true },
  // char *strerror(int errnum);   (fallback where the _np variants are absent)
  strerror: { parameters: ["i32"], result: "pointer" },
  // int getpwnam_r(const char *name, struct passwd *pwd, char *buf,
  //                size_t buflen, struct passwd **result);
  getpwnam_r: {
    parameters: ["buffer", "buffer", "buffer", "usize", "buffer"],
    result: "i32",
  },
  // int getgrnam_r(const char *name, struct group *grp, char *buf,
  //                size_t buflen, struct group **result);
  getgrnam_r: {
    parameters: ["buffer", "buffer", "buffer", "usize", "buffer"],
    result: "i32",
  },
} as const satisfies Deno.ForeignLibraryInterface;

/** The bound symbols, as `Deno.dlopen` returns them. */
export type LibcSymbols = Deno.DynamicLibrary<typeof LIBC_SYMBOLS>["symbols"];
