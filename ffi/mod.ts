/**
 * The only module that touches `Deno.dlopen`, pointers and errno.
 *
 * Every call returns its result or `-errno`; callers turn negative results
 * into typed errors.
 *
 * @module
 */

export * from "./_libc.ts";
export * from "./_structs.ts";
