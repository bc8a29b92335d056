/**
 * Linux errno values (x86_64 and aarch64, the asm-generic numbering) with
 * their symbolic names and the descriptions glibc gives them, as a static
 * table: naming an error loads nothing and needs no permission.
 *
 * @module
 */

/**
 * Name and description of errno 1, 2, …, one per line (an empty line for a
 * number Linux does not use): one string is cheaper to load than an array
 * of 266, and it is split the first time an error is named.
 */
const TEXT = `EPERM Operation not permitted
ENOENT No such file or directory
ESRCH No such process
EINTR Interrupted system call
EIO Input/output error
ENXIO No such device or address
E2BIG Argument list too long
ENOEXEC Exec format error
EBADF Bad file descriptor
ECHILD No child processes
EAGAIN Resource temporarily unavailable
ENOMEM Cannot allocate memory
EACCES Permission denied
EFAULT Bad address
ENOTBLK Block device required
EBUSY Device or resource busy
EEXIST File exists
EXDEV Invalid cross-device link
ENODEV No such device
ENOTDIR Not a directory
EISDIR Is a directory
EINVAL Invalid argument
ENFILE Too many open files in system
EMFILE Too many open files
ENOTTY Inappropriate ioctl for device
ETXTBSY Text file busy
EFBIG File too large
ENOSPC No space left on device
ESPIPE Illegal seek
EROFS Read-only file system
EMLINK Too many links
EPIPE Broken pipe
EDOM Numerical argument out of domain
ERANGE Numerical result out of range
EDEADLK Resource deadlock avoided
ENAMETOOLONG File name too long
ENOLCK No locks available
ENOSYS Function not implemented
ENOTEMPTY Directory not empty
ELOOP Too many levels of symbolic links

ENOMSG No message of desired type
EIDRM Identifier removed
ECHRNG Channel number out of range
EL2NSYNC Level 2 not synchronized
EL3HLT Level 3 halted
EL3RST Level 3 reset
ELNRNG Link number out of range
EUNATCH Protocol driver not attached
ENOCSI No CSI structure available
EL2HLT Level 2 halted
EBADE Invalid exchange
EBADR Invalid request descriptor
EXFULL Exchange full
ENOANO No anode
EBADRQC Invalid request code
EBADSLT Invalid slot

EBFONT Bad font file format
ENOSTR Device not a stream
ENODATA No data available
ETIME Timer expired
ENOSR Out of streams resources
ENONET Machine is not on the network
ENOPKG Package not installed
EREMOTE Object is remote
ENOLINK Link has been severed
EADV Advertise error
ESRMNT Srmount error
ECOMM Communication error on send
EPROTO Protocol error
EMULTIHOP Multihop attempted
EDOTDOT RFS specific error
EBADMSG Bad message
EOVERFLOW Value too large for defined data type
ENOTUNIQ Name not unique on network
EBADFD File descriptor in bad state
EREMCHG Remote address changed
ELIBACC Can not access a needed shared library
ELIBBAD Accessing a corrupted shared library
ELIBSCN .lib section in a.out corrupted
ELIBMAX Attempting to link in too many shared libraries
ELIBEXEC Cannot exec a shared library directly
EILSEQ Invalid or incomplete multibyte or wide character
ERESTART Interrupted system call should be restarted
ESTRPIPE Streams pipe error
EUSERS Too many users
ENOTSOCK Socket operation on non-socket
EDESTADDRREQ Destination address required
EMSGSIZE Message too long
EPROTOTYPE Protocol wrong type for socket
ENOPROTOOPT Protocol not available
EPROTONOSUPPORT Protocol not supported
ESOCKTNOSUPPORT Socket type not supported
EOPNOTSUPP Operation not supported
EPFNOSUPPORT Protocol family not supported
EAFNOSUPPORT Address family not supported by protocol
EADDRINUSE Address already in use
EADDRNOTAVAIL Cannot assign requested address
ENETDOWN Network is down
ENETUNREACH Network is unreachable
ENETRESET Network dropped connection on reset
ECONNABORTED Software caused connection abort
ECONNRESET Connection reset by peer
ENOBUFS No buffer space available
EISCONN Transport endpoint is already connected
ENOTCONN Transport endpoint is not connected
ESHUTDOWN Cannot send after transport endpoint shutdown
ETOOMANYREFS Too many references: cannot splice
ETIMEDOUT Connection timed out
ECONNREFUSED Connection refused
EHOSTDOWN Host is down
EHOSTUNREACH No route to host
EALREADY Operation already in progress
EINPROGRESS Operation now in progress
ESTALE Stale file handle
EUCLEAN Structure needs cleaning
ENOTNAM Not a XENIX named type file
ENAVAIL No XENIX semaphores available
EISNAM Is a named type file
EREMOTEIO Remote I/O error
EDQUOT Disk quota exceeded
ENOMEDIUM No medium found
EMEDIUMTYPE Wrong medium type
ECANCELED Operation canceled
ENOKEY Required key not available
EKEYEXPIRED Key has expired
EKEYREVOKED Key has been revoked
EKEYREJECTED Key was rejected by service
EOWNERDEAD Owner died
ENOTRECOVERABLE State not recoverable
ERFKILL Operation not possible due to RF-kill
EHWPOISON Memory page has hardware error`;

let table: string[] | undefined;

function entry(errno: number): string | undefined {
  table ??= TEXT.split("\n");
  return errno >= 1 ? table[errno - 1] || undefined : undefined;
}

/**
 * The symbolic name of an errno value, such as `"EBUSY"`.
 *
 * @param errno The value.
 * @returns Its name, or `E` and the number when it has none.
 */
export function errnoName(errno: number): string {
  const line = entry(errno);
  return line === undefined ? `E${errno}` : line.slice(0, line.indexOf(" "));
}

/**
 * The description of an errno value, as glibc's `strerror` gives it, such
 * as `"Device or resource busy"`.
 *
 * @param errno The value.
 * @returns The description.
 */
export function errnoDescription(errno: number): string {
  if (errno === 0) return "Success";
  const line = entry(errno);
  return line === undefined ? `Unknown error ${errno}` : line.slice(line.indexOf(" ") + 1);
}

/** errno: operation not permitted. */
export const EPERM = 1;
/** errno: no such file or directory. */
export const ENOENT = 2;
/** errno: interrupted system call. */
export const EINTR = 4;
/** errno: bad file descriptor. */
export const EBADF = 9;
/** errno: try again (nothing to read, no room to write). */
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
/** errno: bad message. */
export const EBADMSG = 74;
/** errno: file descriptor in bad state. */
export const EBADFD = 77;
/** errno: protocol not available (an optional socket option). */
export const ENOPROTOOPT = 92;
/** errno: operation not supported. */
export const EOPNOTSUPP = 95;
/** errno: cannot assign requested address. */
export const EADDRNOTAVAIL = 99;
/** errno: no buffer space available. */
export const ENOBUFS = 105;
/** errno: stale file handle (here: a device changed identity while worked on). */
export const ESTALE = 116;
