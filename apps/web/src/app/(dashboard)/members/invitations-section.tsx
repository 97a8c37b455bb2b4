"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { DataTable } from "~/components/data-table";
import { EmptyState, Field, Notice, type Problem, buttonClass, formText, inputClass, invalidProps, problemOf, tableClass } from "~/components/forms";
import { StateBadge } from "~/components/state-badge";
import type { StateTone } from "~/lib/bot-state";
import { formatDateTime } from "~/lib/format";
import { TEAM_ROLES, type TeamRole } from "~/server/permissions";
import { useTRPC } from "~/trpc/react";
import { ROLE_SUMMARY } from "./roles";

const STATUS_TONE: Record<string, StateTone> = { PENDING: "transition", ACCEPTED: "good", REVOKED: "idle", EXPIRED: "idle" };

export function InvitationsSection() {
  const trpc = useTRPC();
  const team = useQuery(trpc.teams.current.queryOptions());
  const role = team.data?.role;
  if (role !== "OWNER" && role !== "ADMIN") return null;
  return <Invitations inviterRole={role} />;
}

function Invitations({ inviterRole }: { inviterRole: "OWNER" | "ADMIN" }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invitations = useQuery(trpc.invitations.list.queryOptions());
  const [problem, setProblem] = useState<Problem | null>(null);
  const [link, setLink] = useState<{ email: string; url: string; expiresAt: Date } | null>(null);
  // What happened to an invitation whose link is not shown here: mailed, or waiting for an owner.
  const [sent, setSent] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.invitations.list.queryKey() });
  const create = useMutation(
    trpc.invitations.create.mutationOptions({
      onSuccess: async (invitation) => {
        await refresh();
        setCopied(false);
        if (invitation.path) {
          setLink({ email: invitation.email, url: `${window.location.origin}${invitation.path}`, expiresAt: invitation.expiresAt });
        } else {
          setSent(
            invitation.delivery === "EMAIL"
              ? `The invitation link was emailed to ${invitation.email}. Only that mailbox gets it.`
              : `Invitation to ${invitation.email} created. An owner gets its link under Invitations ("Get link") and sends it: admins are shown no links, so that every new member is seen by an owner.`,
          );
        }
      },
      onError: (error) => setProblem(problemOf(error)),
    }),
  );
  const issueLink = useMutation(
    trpc.invitations.issueLink.mutationOptions({
      onSuccess: (issued) => {
        setCopied(false);
        setSent(null);
        setLink({ email: issued.email, url: `${window.location.origin}${issued.path}`, expiresAt: issued.expiresAt });
      },
      onError: (error) => setProblem(problemOf(error)),
    }),
  );
  const revoke = useMutation(
    trpc.invitations.revoke.mutationOptions({
      onSuccess: () => refresh(),
      onError: (error) => setProblem(problemOf(error)),
    }),
  );

  // An admin may invite every role below owner.
  const roles = TEAM_ROLES.filter((role) => inviterRole === "OWNER" || role !== "OWNER");

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setProblem(null);
    setLink(null);
    setSent(null);
    create.mutate({ email: formText(form, "email"), role: formText(form, "role") as TeamRole });
  }

  async function copy(url: string) {
    await navigator.clipboard.writeText(url).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  }

  const error = (field: string) => problem?.fields[field];
  return (
    <section aria-labelledby="invitations-heading" className="space-y-3">
      <h2 id="invitations-heading" className="font-semibold text-neutral-100">
        Invitations
      </h2>
      <form onSubmit={submit} noValidate aria-label="Invite a member" className="flex flex-wrap items-start gap-3">
        <div className="min-w-[16rem] flex-1">
          <Field id="invite-email" label="Email" error={error("email")}>
            <input id="invite-email" name="email" type="email" required className={inputClass} {...invalidProps("invite-email", error("email"))} />
          </Field>
        </div>
        <div>
          <Field id="invite-role" label="Role" error={error("role")}>
            <select id="invite-role" name="role" defaultValue="TRADER" className={inputClass}>
              {roles.map((role) => (
                <option key={role} value={role}>
                  {role} — {ROLE_SUMMARY[role]}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div className="pt-5">
          <button type="submit" disabled={create.isPending} className={buttonClass.primary}>
            {create.isPending ? "Inviting…" : "Create invitation link"}
          </button>
        </div>
      </form>
      {problem && Object.keys(problem.fields).length === 0 && <Notice tone="error">{problem.message}</Notice>}
      {sent && <Notice tone="success">{sent}</Notice>}
      {link && (
        <Notice tone="success">
          <p>
            Send this link to {link.email}. It works once, until {formatDateTime(link.expiresAt)} UTC, and is not shown
            again. It works only for that address.
          </p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <input
              readOnly
              aria-label="Invitation link"
              value={link.url}
              onFocus={(event) => event.currentTarget.select()}
              className={`${inputClass} min-w-0 flex-1 font-mono text-xs`}
              data-testid="invitation-link"
            />
            <button type="button" onClick={() => void copy(link.url)} className={buttonClass.secondary}>
              {copied ? "Copied" : "Copy"}
            </button>
          </div>
        </Notice>
      )}

      {invitations.isPending ? (
        <p className="text-neutral-500">Loading invitations…</p>
      ) : invitations.isError ? (
        <Notice tone="error">Could not load the invitations: {invitations.error.message}</Notice>
      ) : invitations.data.length === 0 ? (
        <EmptyState title="No invitations in the last 30 days" />
      ) : (
        <DataTable
          caption="Invitations of the last 30 days"
          className="w-full border-collapse sm:min-w-[36rem]"
          columns={["Email", "Role", "Status", { label: "Invited", className: "hidden sm:table-cell" }]}
          actions
        >
          {invitations.data.map((invitation) => (
            <tr key={invitation.id}>
              <th scope="row" className={`${tableClass.cell} text-left font-normal text-neutral-200`}>{invitation.email}</th>
              <td className={`${tableClass.cell} font-mono text-xs`}>{invitation.role}</td>
              <td className={tableClass.cell}>
                <StateBadge state={invitation.status} tone={STATUS_TONE[invitation.status] ?? "idle"} />
              </td>
              <td className={`${tableClass.cell} hidden text-xs text-neutral-500 sm:table-cell`}>
                {formatDateTime(invitation.createdAt)} UTC by {invitation.invitedBy}
                {invitation.status === "PENDING" && <span className="block">expires {formatDateTime(invitation.expiresAt)} UTC</span>}
              </td>
              <td className={`${tableClass.cell} text-right`}>
                {invitation.status === "PENDING" && inviterRole === "OWNER" && (
                  <button
                    type="button"
                    disabled={issueLink.isPending}
                    onClick={() => issueLink.mutate({ invitationId: invitation.id })}
                    className={buttonClass.quiet}
                    aria-label={`Get the link for ${invitation.email}`}
                  >
                    Get link
                  </button>
                )}
                {invitation.status === "PENDING" && (
                  <button
                    type="button"
                    disabled={revoke.isPending}
                    onClick={() => revoke.mutate({ invitationId: invitation.id })}
                    className={buttonClass.quiet}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
