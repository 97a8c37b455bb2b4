import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { untilTrue } from "@bandkeeper/testkit";

export function fixturePath(relative: string): string {
  return fileURLToPath(new URL(`./fixtures/${relative}`, import.meta.url));
}

export function payload(name: string): unknown {
  return JSON.parse(readFileSync(fixturePath(`payloads/${name}`), "utf8"));
}

/** Polls until `condition` holds (the shared kit's poll; this suite names what it waits for before the timeout). */
export function until(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  return untilTrue(condition, timeoutMs, what, 5);
}
