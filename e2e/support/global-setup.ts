import {
  BASE_URL_VARIABLE,
  DATABASE_URL_VARIABLE,
  ENCRYPTION_KEY_VARIABLE,
  ENGINE_METRICS_URL_VARIABLE,
  SIMULATOR_URL_VARIABLE,
} from "./constants";
import { startStack, stackSettingsFrom, type RunningStack } from "./stack";

// Shared with global-teardown.ts, which runs in the same runner process.
export const STACK_KEY = Symbol.for("bandkeeper.e2e.stack");

export default async function globalSetup(): Promise<void> {
  const stack = await startStack(stackSettingsFrom(process.env));
  (globalThis as Record<symbol, RunningStack | undefined>)[STACK_KEY] = stack;
  process.env[BASE_URL_VARIABLE] = stack.webUrl;
  process.env[DATABASE_URL_VARIABLE] = stack.databaseUrl;
  process.env[SIMULATOR_URL_VARIABLE] = stack.simulatorUrl;
  process.env[ENGINE_METRICS_URL_VARIABLE] = stack.engineMetricsUrl;
  process.env[ENCRYPTION_KEY_VARIABLE] = stack.encryptionKey;
}
