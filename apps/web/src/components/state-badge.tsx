import type { StateTone } from "~/lib/bot-state";

const TONE_CLASSES: Record<StateTone, string> = {
  good: "bg-emerald-500/15 text-emerald-300 ring-emerald-500/30",
  warning: "bg-amber-500/15 text-amber-300 ring-amber-500/30",
  danger: "bg-red-500/15 text-red-300 ring-red-500/30",
  transition: "bg-sky-500/15 text-sky-300 ring-sky-500/30",
  idle: "bg-neutral-500/15 text-neutral-300 ring-neutral-500/30",
};

export function StateBadge({ state, tone }: { state: string; tone: StateTone }) {
  return (
    <span
      className={`inline-flex items-center rounded px-1.5 py-0.5 font-mono text-[11px] font-medium tracking-wide ring-1 ring-inset ${TONE_CLASSES[tone]}`}
    >
      {state}
    </span>
  );
}
