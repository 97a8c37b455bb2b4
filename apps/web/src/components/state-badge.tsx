const TONES: Record<string, string> = {
  RUNNING: "bg-emerald-500/15 text-emerald-300 ring-emerald-500/30",
  STARTING: "bg-sky-500/15 text-sky-300 ring-sky-500/30",
  STOPPING: "bg-sky-500/15 text-sky-300 ring-sky-500/30",
  PAUSED: "bg-amber-500/15 text-amber-300 ring-amber-500/30",
  DEGRADED: "bg-amber-500/15 text-amber-300 ring-amber-500/30",
  FAULTED: "bg-red-500/15 text-red-300 ring-red-500/30",
  EMERGENCY_STOPPED: "bg-red-500/15 text-red-300 ring-red-500/30",
};
const NEUTRAL = "bg-neutral-500/15 text-neutral-300 ring-neutral-500/30";

export function StateBadge({ state }: { state: string }) {
  return (
    <span
      className={`inline-flex items-center rounded px-1.5 py-0.5 font-mono text-[11px] font-medium tracking-wide ring-1 ring-inset ${TONES[state] ?? NEUTRAL}`}
    >
      {state.replaceAll("_", " ")}
    </span>
  );
}
