// A progress line on stderr while a long tape replays: simulated time done of the total, and how fast the replay
// goes in queue entries (market events, exchange steps, messages, ticks) per wall-clock second.
import type { ReplayProgress } from "./run-replay";

const EVERY_MS = 2_000;

export function progressPrinter(err: (text: string) => void, now: () => number = () => performance.now()): (progress: ReplayProgress) => void {
  const startedAt = now();
  let printedAt = startedAt;
  return (progress) => {
    const time = now();
    const finished = progress.doneMs >= progress.totalMs;
    // The end line only closes lines already printed: a short replay prints none.
    if (finished ? printedAt === startedAt : time - printedAt < EVERY_MS) return;
    printedAt = time;
    const seconds = (time - startedAt) / 1000;
    const share = progress.totalMs > 0 ? (100 * progress.doneMs) / progress.totalMs : 100;
    err(
      `replay: ${hours(progress.doneMs)} of ${hours(progress.totalMs)} simulated (${share.toFixed(1)}%), ` +
        `${Math.round(progress.happenings / Math.max(seconds, 0.001)).toLocaleString("en-US")} events/s`,
    );
  };
}

function hours(ms: number): string {
  return ms >= 3_600_000 ? `${(ms / 3_600_000).toFixed(2)} h` : `${(ms / 60_000).toFixed(1)} min`;
}
