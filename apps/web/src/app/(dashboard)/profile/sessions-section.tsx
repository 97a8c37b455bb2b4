"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useState } from "react";
import { DataTable } from "~/components/data-table";
import { Notice, buttonClass, problemOf, tableClass } from "~/components/forms";
import { formatDateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

// A browser's user agent in a few words: "Chrome on Linux".
function describeAgent(userAgent: string | null): string {
  if (!userAgent) return "Unknown browser";
  const browser = /Edg\//.test(userAgent) ? "Edge" : /Firefox\//.test(userAgent) ? "Firefox" : /Chrome\//.test(userAgent) ? "Chrome" : /Safari\//.test(userAgent) ? "Safari" : "Browser";
  const system = /Windows/.test(userAgent) ? "Windows" : /Android/.test(userAgent) ? "Android" : /iPhone|iPad/.test(userAgent) ? "iOS" : /Mac OS/.test(userAgent) ? "macOS" : /Linux/.test(userAgent) ? "Linux" : null;
  return system ? `${browser} on ${system}` : browser;
}

export function SessionsSection() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessions = useQuery(trpc.profile.sessions.queryOptions());
  const [problem, setProblem] = useState<string | null>(null);
  const end = useMutation(
    trpc.profile.endSession.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.profile.sessions.queryKey() }),
      onError: (error) => setProblem(problemOf(error).message),
    }),
  );
  const everywhere = useMutation(
    trpc.profile.signOutEverywhere.mutationOptions({
      onSuccess: () => void signOut({ callbackUrl: "/signin" }),
      onError: (error) => setProblem(problemOf(error).message),
    }),
  );

  return (
    <section aria-labelledby="sessions-heading" className="space-y-3">
      <h2 id="sessions-heading" className="font-semibold text-neutral-100">
        Where you are signed in
      </h2>
      {problem && <Notice tone="error">{problem}</Notice>}
      {sessions.isPending ? (
        <p className="text-neutral-500">Loading sessions…</p>
      ) : sessions.isError ? (
        <Notice tone="error">Could not load the sessions: {sessions.error.message}</Notice>
      ) : (
        <DataTable
          caption="Active sessions"
          columns={["Browser", "Signed in", { label: "Last seen", className: "hidden sm:table-cell" }]}
          actions
        >
          {sessions.data.map((session) => (
            <tr key={session.id} data-testid="session-row">
              <th scope="row" className={`${tableClass.cell} text-left font-normal text-neutral-200`}>
                {describeAgent(session.userAgent)}
                {session.ip && <span className="block font-mono text-xs text-neutral-500">{session.ip}</span>}
              </th>
              <td className={`${tableClass.cell} text-xs text-neutral-400`}>{formatDateTime(session.createdAt)} UTC</td>
              <td className={`${tableClass.cell} hidden text-xs text-neutral-400 sm:table-cell`}>{formatDateTime(session.lastSeenAt)} UTC</td>
              <td className={`${tableClass.cell} text-right`}>
                {session.current ? (
                  <span className="text-xs text-emerald-300">This browser</span>
                ) : (
                  <button type="button" className={buttonClass.quiet} disabled={end.isPending} onClick={() => end.mutate({ sessionId: session.id })}>
                    End session
                  </button>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <button type="button" className={buttonClass.secondary} disabled={everywhere.isPending} onClick={() => everywhere.mutate()}>
        {everywhere.isPending ? "Signing out…" : "Sign out everywhere"}
      </button>
      <p className="text-xs text-neutral-500">Ends every session, this one too. Changing your password ends all the others.</p>
    </section>
  );
}
