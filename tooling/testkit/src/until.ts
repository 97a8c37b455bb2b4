/**
 * Polls `probe` until it gives a value (anything but undefined) and returns it; fails naming `what` after
 * `timeoutMs`. Integration tests wait on real processes and sockets this way instead of sleeping a guessed time.
 */
export async function until<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  what: string,
  pollMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** `until` for a yes/no condition. */
export async function untilTrue(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string, pollMs = 20): Promise<void> {
  await until(async () => ((await condition()) ? true : undefined), timeoutMs, what, pollMs);
}
