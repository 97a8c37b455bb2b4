"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { ChannelsSection } from "./channels-section";
import { HistorySection } from "./history-section";
import { RulesSection } from "./rules-section";

export function AlertsView() {
  const trpc = useTRPC();
  const team = useQuery(trpc.teams.current.queryOptions());
  const role = team.data?.role;
  const canManage = role === "OWNER" || role === "ADMIN";
  const canAcknowledge = canManage || role === "TRADER";
  return (
    <div className="space-y-8">
      <HistorySection canAcknowledge={canAcknowledge} />
      <ChannelsSection canManage={canManage} role={role} />
      <RulesSection canManage={canManage} />
    </div>
  );
}
