/**
 * The only error the netlink decoders throw.
 *
 * @module
 */

/**
 * Malformed netlink data: a length that runs past its container, a header
 * shorter than its structure, an attribute too short for its type.
 */
export class NetlinkDecodeError extends Error {
  /** Byte offset of the problem in the buffer being decoded. */
  readonly offset: number;

  /**
   * Creates the error.
   *
   * @param message What is wrong, in the form "Cannot decode X: detail".
   * @param offset Byte offset of the problem.
   */
  constructor(message: string, offset: number) {
    super(message);
    this.name = "NetlinkDecodeError";
    this.offset = offset;
  }
}
