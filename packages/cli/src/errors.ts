/**
 * The one kind of failure the command reports without a stack: a mistake the user can fix.
 *
 * @module
 */

/** A mistake on the command line or in a file it names: printed as one line, exit code 2. */
export class UsageError extends Error {}
