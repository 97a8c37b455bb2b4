"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { DataTable } from "~/components/data-table";
import { ConfirmButton } from "~/components/confirm-button";
import { Notice, inputClass, problemOf, tableClass } from "~/components/forms";
import { formatDateTime } from "~/lib/format";
import { TEAM_ROLES, type TeamRole } from "~/server/permissions";
import { useTRPC } from "~/trpc/react";
import { ROLE_SUMMARY } from "./roles";

export function MembersTable() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.members.list.queryOptions());
  const team = useQuery(trpc.teams.current.queryOptions());
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string } | null>(null);

  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey() });
  const changeRole = useMutation(
    trpc.members.changeRole.mutationOptions({
      onSuccess: async () => {
        await refresh();
        setNotice({ tone: "success", text: "Role changed." });
      },
      onError: async (error) => {
        // The select already shows the new value: reload the truth before saying why it did not change.
        await refresh();
        setNotice({ tone: "error", text: Object.values(problemOf(error).fields)[0] ?? problemOf(error).message });
      },
    }),
  );
  const remove = useMutation(
    trpc.members.remove.mutationOptions({
      onSuccess: async (_result, input) => {
        // Leaving the team one works in ends this page's access: start over where the layout offers the way on.
        if (members.data?.find((member) => member.id === input.membershipId)?.isYou) {
          window.location.assign("/");
          return;
        }
        await refresh();
        setNotice({ tone: "success", text: "Member removed from the team." });
      },
      onError: (error) => setNotice({ tone: "error", text: Object.values(problemOf(error).fields)[0] ?? problemOf(error).message }),
    }),
  );

  if (members.isPending) return <p className="text-neutral-500">Loading members…</p>;
  if (members.isError) return <Notice tone="error">Could not load the members: {members.error.message}</Notice>;
  const isOwner = team.data?.role === "OWNER";

  return (
    <section aria-labelledby="members-heading" className="space-y-3">
      <h2 id="members-heading" className="font-semibold text-neutral-100">
        Team members <span className="font-normal text-neutral-500">({members.data.length})</span>
      </h2>
      {notice && <Notice tone={notice.tone}>{notice.text}</Notice>}
      <DataTable
        caption="Members of this team"
        className="w-full border-collapse sm:min-w-[36rem]"
        columns={["Member", "Role", { label: "Joined", className: "hidden sm:table-cell" }]}
        actions={isOwner}
      >
        {members.data.map((member) => (
          <tr key={member.id} data-testid={`member-${member.email}`}>
            <th scope="row" className={`${tableClass.cell} text-left font-normal`}>
              <span className="text-neutral-100">{member.name}</span>
              {member.isYou && <span className="ml-1.5 text-xs text-emerald-400">you</span>}
              <span className="block text-xs text-neutral-500">{member.email}</span>
            </th>
            <td className={tableClass.cell}>
              {isOwner ? (
                <select
                  aria-label={`Role of ${member.name}`}
                  value={member.role}
                  disabled={changeRole.isPending}
                  onChange={(event) =>
                    changeRole.mutate({ membershipId: member.id, role: event.target.value as TeamRole })
                  }
                  className={`${inputClass} w-auto min-w-[6.5rem] py-1 text-xs`}
                >
                  {TEAM_ROLES.map((role) => (
                    <option key={role} value={role}>
                      {role}
                    </option>
                  ))}
                </select>
              ) : (
                <span className="font-mono text-xs text-neutral-300">{member.role}</span>
              )}
              <span className="mt-0.5 hidden text-xs text-neutral-600 md:block">{ROLE_SUMMARY[member.role]}</span>
            </td>
            <td className={`${tableClass.cell} hidden text-xs text-neutral-500 sm:table-cell`}>
              {formatDateTime(member.joinedAt)} UTC
            </td>
            {isOwner && (
              <td className={`${tableClass.cell} text-right`}>
                {/* On your own row it is leaving, and says so: "Remove" next to yourself reads like a mistake. */}
                <ConfirmButton
                  label={member.isYou ? "Leave team" : "Remove"}
                  buttonStyle="quiet"
                  title={member.isYou ? "Leave this team?" : `Remove ${member.name}?`}
                  confirmLabel={member.isYou ? "Leave the team" : "Remove from team"}
                  disabled={remove.isPending}
                  onConfirm={() => remove.mutate({ membershipId: member.id })}
                >
                  <p>
                    {member.isYou
                      ? "You lose access to this team at once. Your proposals, approvals and audit entries stay."
                      : `${member.email} loses access to this team at once. Their proposals, approvals and audit entries stay.`}
                  </p>
                </ConfirmButton>
              </td>
            )}
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
