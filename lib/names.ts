/**
 * The kernel's rules for interface names (`dev_valid_name` and the `%d`
 * template rules of `dev_alloc_name`), checked before any system call so
 * that a bad name is refused with a reason instead of an opaque EINVAL or a
 * silent truncation.
 *
 * @module
 */

/** Longest interface name in bytes (`IFNAMSIZ` - 1). */
export const MAX_NAME_BYTES = 15;

const encoder = new TextEncoder();

/** Bytes the kernel's `isspace()` accepts: \t \n \v \f \r, space and 0xa0. */
function isKernelSpace(byte: number): boolean {
  return (byte >= 0x09 && byte <= 0x0d) || byte === 0x20 || byte === 0xa0;
}

/**
 * Why the kernel would refuse `name`, or `undefined` if it would accept it.
 *
 * @param name The interface name.
 * @param template Whether a single `%d` (filled in by the kernel) is allowed.
 * @returns The reason, as a phrase.
 */
export function nameProblem(name: string, template: boolean): string | undefined {
  const bytes = encoder.encode(name);
  if (bytes.byteLength === 0) return "the name is empty";
  if (bytes.byteLength > MAX_NAME_BYTES) {
    return `the name is ${bytes.byteLength} bytes long, the limit is ${MAX_NAME_BYTES}`;
  }
  if (name === "." || name === "..") return `"${name}" is reserved`;
  for (const byte of bytes) {
    if (byte === 0x2f) return 'a name cannot contain "/"';
    if (byte === 0x3a) return 'a name cannot contain ":"';
    if (isKernelSpace(byte)) {
      return byte === 0xa0
        ? "the name contains byte 0xa0, which the kernel counts as whitespace"
        : "a name cannot contain whitespace";
    }
  }
  const percent = name.indexOf("%");
  if (percent >= 0) {
    if (!template) return 'a name cannot contain "%"';
    if (name[percent + 1] !== "d" || name.indexOf("%", percent + 1) >= 0) {
      return 'a name template has exactly one "%" and it is followed by "d"';
    }
  }
  return undefined;
}
