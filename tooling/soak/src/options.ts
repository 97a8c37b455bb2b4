// `npm run soak -- [--minutes N] [--seed S] [--keep]`: the command line, checked; a bad value names the option.
import { parseArgs } from "node:util";

export interface SoakOptions {
  minutes: number;
  seed: number;
  /** Keep the work folder (database, logs) even when every invariant holds. */
  keep: boolean;
}

export const USAGE = `usage: npm run soak -- [--minutes N] [--seed S] [--keep]
  --minutes N   length of the fault phase (default 10; at least 1.2: one round of every fault)
  --seed S      seed of the fault schedule and the market (default: random, printed in the report)
  --keep        keep the work folder (Postgres data, process logs) even when the soak passes`;

export class UsageError extends Error {}

export function parseSoakOptions(args: readonly string[], randomSeed: () => number): SoakOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        minutes: { type: "string", default: "10" },
        seed: { type: "string" },
        keep: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) throw new UsageError("");
  const minutes = Number(values.minutes);
  if (!Number.isFinite(minutes) || minutes <= 0) throw new UsageError(`--minutes must be a positive number, got ${values.minutes}`);
  const seed = values.seed === undefined ? randomSeed() : Number(values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, got ${values.seed}`);
  return { minutes, seed, keep: values.keep };
}
