/**
 * Points where a test can act in the middle of an operation, to make a race
 * deterministic (another process deleting a device, a new link taking its
 * index). Nothing outside the tests sets them.
 *
 * @module
 */

/** A device about to be moved into the temporary group of a bulk delete. */
export interface GroupMove {
  /** The name it was asked for by. */
  name: string;
  /** The interface index it is moved by. */
  index: number;
}

/** The hooks; each is called, when set, at the point its name says. */
export const testHooks: {
  /** A bulk delete has found its devices' indexes and is about to move them. */
  beforeGroupMove?: (moves: readonly GroupMove[]) => void;
  /** A device was made and its descriptor closed; it is about to be read back. */
  beforeReadBack?: (name: string) => void;
  /** A delete found the device busy with no process holding it, and tries again. */
  beforeBusyRetry?: (name: string, attempt: number) => void;
  /** An apply is about to run an action on the device. */
  beforeApplyAction?: (name: string) => void;
} = {};
