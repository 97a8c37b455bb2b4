"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";

/** The number of open alerts beside "Alerts" in the navigation: red while some wait for an acknowledgement. */
export function OpenAlertsBadge() {
  const trpc = useTRPC();
  const count = useQuery({ ...trpc.alerts.openCount.queryOptions(), refetchInterval: 10_000 });
  const open = count.data?.open ?? 0;
  if (open === 0) return null;
  const waiting = (count.data?.unacknowledged ?? 0) > 0;
  return (
    <span
      data-testid="open-alerts"
      className={`ml-1.5 rounded-full px-1.5 py-px font-mono text-[11px] leading-4 ${waiting ? "bg-red-500/20 text-red-200" : "bg-neutral-700 text-neutral-200"}`}
    >
      {open}
      <span className="sr-only">{open === 1 ? " open alert" : " open alerts"}{waiting ? ", not all acknowledged" : ""}</span>
    </span>
  );
}
