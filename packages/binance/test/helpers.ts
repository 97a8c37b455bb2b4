import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export function fixturePath(relative: string): string {
  return fileURLToPath(new URL(`./fixtures/${relative}`, import.meta.url));
}

export function payload(name: string): unknown {
  return JSON.parse(readFileSync(fixturePath(`payloads/${name}`), "utf8"));
}

/** Polls until `condition` holds; tests wait on state, never on fixed sleeps. */
export async function until(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
