// The simulator's only read of the environment: where relative paths on its command line point.

/**
 * `npm run sim` runs in this package's folder; npm names the folder it was started from in INIT_CWD, which is
 * where the user's relative paths point.
 */
export function invocationDir(): string {
  return process.env.INIT_CWD ?? process.cwd();
}
