/**
 * The only module that touches `Deno.dlopen`, pointers and errno.
 *
 * Every call returns its result or `-errno`; callers turn negative results
 * into typed errors. The symbol table, the calls and the struct
 * layouts are `_libc.ts` (sockets, ioctls, namespaces), `_files.ts`
 * (procfs, directories, NSS) and `_io.ts` (packet I/O), so that a program
 * loads only what it calls.
 *
 * @module
 */

export * from "./_files.ts";
export * from "./_io.ts";
export * from "./_libc.ts";
