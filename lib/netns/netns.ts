/**
 * The option every operation takes to work inside another network
 * namespace.
 *
 * @module
 */

/**
 * Where an operation works: a network namespace other than the calling
 * thread's. Every operation's options extend it.
 *
 * @example Usage
 * ```ts
 * import type { NetnsOptions } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * const options: NetnsOptions = { netns: "blue" }; // /run/netns/blue
 * assert.equal(options.netns, "blue");
 * ```
 */
export interface NetnsOptions {
  /**
   * A name in `/run/netns` (as `ip netns add` makes them), or a path to a
   * namespace file (`/proc/PID/ns/net`, any bind mount of one).
   */
  netns?: string;
}
