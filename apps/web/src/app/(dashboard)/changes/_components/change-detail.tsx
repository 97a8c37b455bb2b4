"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useRef, useState } from "react";
import { StateBadge } from "~/components/state-badge";
import type { AppRouter } from "~/server/routers";
import { useTRPC } from "~/trpc/react";
import { Notice, type Problem, buttonClass, problemOf } from "~/components/forms";
import { KIND_LABEL, STATUS_TONE, formatUtc, inputClass, linkClass, retryUnlessRefused } from "../_lib/ui";
import { ConfigSummary } from "./config-summary";
import { DiffTable } from "./diff-table";
import { ReplayPanel } from "./replay-panel";

export function ChangeDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const request = useQuery({
    ...trpc.changes.get.queryOptions({ id }),
    retry: retryUnlessRefused,
    // Until decided and replayed, and after approval until the engine has applied the new version.
    refetchInterval: (query) => {
      const data = query.state.data;
      if (!data) return false;
      // A replay still waiting once the request is decided may wait for good (no engine records tapes): not polled.
      const replaying = data.replay?.status === "RUNNING";
      return data.status === "PENDING" || replaying || (data.status === "APPROVED" && !data.resultingVersion?.appliedAt) ? 2_000 : false;
    },
  });
  const [comment, setComment] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [commentIssue, setCommentIssue] = useState<string | null>(null);
  const commentRef = useRef<HTMLTextAreaElement>(null);
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const settle = {
    onSuccess: async () => {
      setProblem(null);
      await queryClient.invalidateQueries({ queryKey: trpc.changes.pathKey() });
    },
    onError: (error: unknown) => setProblem(problemOf(error)),
  };
  const approve = useMutation(trpc.changes.approve.mutationOptions(settle));
  const reject = useMutation(trpc.changes.reject.mutationOptions(settle));
  const cancel = useMutation(trpc.changes.cancel.mutationOptions(settle));
  const busy = approve.isPending || reject.isPending || cancel.isPending;

  if (request.isPending) return <p className="text-neutral-500">Loading the request…</p>;
  if (request.isError) {
    return (
      <Notice tone="error">
        {request.error.data?.code === "NOT_FOUND" ? "No such change request in this team." : `Could not load the request: ${request.error.message}`}{" "}
        <Link href="/changes" className="underline">
          All requests
        </Link>
      </Notice>
    );
  }
  const r = request.data;
  const stale = r.kind === "UPDATE_CONFIG" && r.status === "PENDING" && r.currentVersion !== r.baseVersion;
  const from = r.kind === "CREATE_BOT" ? "default" : r.baseVersion === null ? "defaults" : `v${r.baseVersion}`;
  const title = r.kind === "CREATE_BOT" ? `New bot ${r.symbol}` : `${r.symbol} config change`;

  return (
    <div className="space-y-4">
      <header className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h1 className="text-lg font-semibold text-neutral-100">{title}</h1>
        <StateBadge state={r.status} tone={STATUS_TONE[r.status]} />
        <span className="rounded bg-neutral-800 px-1 py-0.5 text-[11px] uppercase text-neutral-400">{KIND_LABEL[r.kind]}</span>
        <span className="w-full text-neutral-400">
          {r.account.name} · proposed by <span className="text-neutral-200">{r.proposer.name}</span> ·{" "}
          <time dateTime={r.createdAt.toISOString()}>{formatUtc(r.createdAt)}</time>
          {r.kind === "UPDATE_CONFIG" && <> · against {from}</>}
          {r.botId && (
            <>
              {" · "}
              <Link href={`/bots/${r.botId}/config`} className={linkClass}>
                bot config
              </Link>
            </>
          )}
        </span>
      </header>

      {stale && (
        <Notice tone="warning">
          {r.symbol} is at {r.currentVersion === null ? "no config" : `v${r.currentVersion}`} now, not {from} this request was
          written against, so it cannot be approved: approving would overwrite the newer version. Reject it and propose again.
        </Notice>
      )}

      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="space-y-4">
          <section aria-labelledby="reason-heading">
            <h2 id="reason-heading" className="mb-1 text-xs font-medium uppercase tracking-wide text-neutral-400">
              Reason
            </h2>
            <p className="whitespace-pre-wrap rounded border border-neutral-800 bg-neutral-900/40 px-3 py-2 text-neutral-200">{r.reason ?? "—"}</p>
          </section>
          {r.kind === "CREATE_BOT" && (
            <dl className="grid grid-cols-3 gap-3 rounded border border-neutral-800 px-3 py-2">
              <div>
                <dt className="text-xs text-neutral-500">Account</dt>
                <dd className="text-neutral-200">{r.account.name}</dd>
              </div>
              <div>
                <dt className="text-xs text-neutral-500">Symbol</dt>
                <dd className="font-mono text-neutral-200">{r.symbol}</dd>
              </div>
              <div>
                <dt className="text-xs text-neutral-500">Once approved</dt>
                <dd className="font-mono text-neutral-200">{r.initialState}</dd>
              </div>
            </dl>
          )}
          <section aria-labelledby="changes-heading">
            <h2 id="changes-heading" className="mb-1 text-xs font-medium uppercase tracking-wide text-neutral-400">
              {r.kind === "CREATE_BOT" ? "Settings that differ from the defaults" : `Changes against ${from}`}
            </h2>
            <DiffTable changes={r.changes} fromLabel={from} toLabel="proposed" caption="What this request changes" />
          </section>
          {r.replay && <ReplayPanel requestId={r.id} replay={r.replay} baseLabel={from} />}
          <details className="rounded border border-neutral-800 px-3 py-2">
            <summary className="cursor-pointer text-neutral-300">Full proposed config</summary>
            <div className="mt-2">
              <ConfigSummary config={r.proposedConfig} />
            </div>
          </details>
        </div>

        <aside className="space-y-3 lg:sticky lg:top-16 lg:self-start" aria-label="Decision">
          {r.status !== "PENDING" ? (
            <Decision request={r} />
          ) : r.viewer.canReview ? (
            <form
              className="space-y-2 rounded border border-neutral-800 p-3"
              onSubmit={(event) => {
                event.preventDefault();
                approve.mutate({ id, comment });
              }}
            >
              <h2 className="text-xs font-medium uppercase tracking-wide text-neutral-400">Review</h2>
              {r.risks.length > 0 && (
                <p className="text-xs text-amber-300" data-testid="risky-change">
                  Past the team&apos;s risk limits ({r.risks.join("; ")}): an owner&apos;s approval decides it, anyone
                  else&apos;s counts as one of two.
                  {r.firstApproval && ` Approved once by ${r.firstApproval.by.name} (${formatUtc(r.firstApproval.at)}): it needs a second approver, or an owner.`}
                </p>
              )}
              <label htmlFor="review-comment" className="block text-neutral-300">
                Comment <span className="text-neutral-500">(required to reject)</span>
              </label>
              <textarea
                ref={commentRef}
                id="review-comment"
                rows={3}
                value={comment}
                onChange={(event) => {
                  setComment(event.target.value);
                  setCommentIssue(null);
                }}
                aria-invalid={Boolean(commentIssue ?? problem?.fields.comment)}
                aria-describedby="review-comment-note"
                className={`${inputClass} font-sans`}
              />
              <p id="review-comment-note" className="text-xs text-red-300">
                {commentIssue ?? problem?.fields.comment}
              </p>
              <div className="flex flex-wrap gap-2">
                <button type="submit" className={buttonClass.primary} disabled={busy || stale}>
                  {approve.isPending ? "Approving…" : r.kind === "CREATE_BOT" ? "Approve: create the bot" : `Approve as v${(r.currentVersion ?? 0) + 1}`}
                </button>
                <button
                  type="button"
                  className={buttonClass.danger}
                  disabled={busy}
                  onClick={() => {
                    if (comment.trim() === "") {
                      setCommentIssue("say why the request is rejected");
                      commentRef.current?.focus();
                      return;
                    }
                    reject.mutate({ id, comment });
                  }}
                >
                  {reject.isPending ? "Rejecting…" : "Reject"}
                </button>
              </div>
            </form>
          ) : (
            <Notice tone="info">{r.viewer.reviewBlockedBy}</Notice>
          )}

          {r.viewer.canCancel &&
            (confirmingCancel ? (
              <div className="flex flex-wrap items-center gap-2 rounded border border-neutral-800 p-3">
                <span className="text-neutral-300">Withdraw this request?</span>
                <button type="button" className={buttonClass.danger} disabled={busy} onClick={() => cancel.mutate({ id })}>
                  {cancel.isPending ? "Cancelling…" : "Yes, cancel it"}
                </button>
                <button type="button" className={buttonClass.secondary} onClick={() => setConfirmingCancel(false)}>
                  Keep it
                </button>
              </div>
            ) : (
              <button type="button" className={buttonClass.secondary} onClick={() => setConfirmingCancel(true)}>
                Cancel my request
              </button>
            ))}

          {problem && <Notice tone="error">{problem.message}</Notice>}
        </aside>
      </div>
    </div>
  );
}

type ChangeRequestDetail = inferRouterOutputs<AppRouter>["changes"]["get"];

function Decision({ request }: { request: ChangeRequestDetail }) {
  const { status, reviewer, decidedAt, resultingVersion } = request;
  const verb = status === "APPROVED" ? "Approved" : status === "REJECTED" ? "Rejected" : "Cancelled";
  return (
    <div className="space-y-2 rounded border border-neutral-800 p-3" data-testid="decision">
      <p className="text-neutral-200">
        {verb}
        {reviewer ? ` by ${reviewer.name}` : status === "CANCELLED" ? " by its proposer" : ""}
        {decidedAt && (
          <>
            {" "}
            <time dateTime={decidedAt.toISOString()} className="text-neutral-400">
              {formatUtc(decidedAt)}
            </time>
          </>
        )}
      </p>
      {request.reviewComment && <blockquote className="border-l-2 border-neutral-700 pl-2 text-neutral-300">{request.reviewComment}</blockquote>}
      {resultingVersion && (
        <p className="text-neutral-300" data-testid="applied-status">
          Became <span className="font-mono">v{resultingVersion.version}</span>.{" "}
          {resultingVersion.appliedAt ? (
            <span className="text-emerald-300">
              Applied by the engine <time dateTime={resultingVersion.appliedAt.toISOString()}>{formatUtc(resultingVersion.appliedAt)}</time>.
            </span>
          ) : (
            <span className="text-amber-300">Not applied yet: the engine picks it up once the bot runs.</span>
          )}
        </p>
      )}
    </div>
  );
}
