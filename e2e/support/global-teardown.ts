import { STACK_KEY } from "./global-setup";
import type { RunningStack } from "./stack";

export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as Record<symbol, RunningStack | undefined>;
  await holder[STACK_KEY]?.stop();
  holder[STACK_KEY] = undefined;
}
