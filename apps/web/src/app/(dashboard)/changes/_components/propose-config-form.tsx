"use client";

import { defaultBotConfig, diffConfigs } from "@bandkeeper/core/config";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { useTRPC } from "~/trpc/react";
import { Notice, type Problem, problemOf } from "~/components/forms";
import { type ConfigTexts, configToTexts, textsToConfig } from "../_lib/config-form";
import { configFieldErrors, linkClass, retryUnlessRefused } from "../_lib/ui";
import { ConfigEditor } from "./config-editor";
import { ProposalPanel } from "./proposal-panel";

// Proposing new parameters or risk limits for one bot, starting from the version in force.
interface Base {
  version: number | null;
  config: unknown;
}

// Proposing new parameters or risk limits for one bot, starting from the version in force.
export function ProposeConfigForm({ botId }: { botId: string }) {
  const trpc = useTRPC();
  const botConfig = useQuery({ ...trpc.changes.botConfig.queryOptions({ botId }), retry: retryUnlessRefused });
  // The version the proposal is written against, fixed once editing starts: a newer version or someone else's
  // request arriving meanwhile must neither reset the edits nor slip under them. The server refuses the
  // proposal then, with a message, and the edits stay on screen.
  const [base, setBase] = useState<Base | null>(null);
  const data = botConfig.data;
  if (base === null && data?.canPropose && !data.pending) {
    setBase({ version: data.current?.version ?? null, config: data.current?.config });
  }
  if (base) return <Editor botId={botId} baseVersion={base.version} baseConfig={base.config} />;

  if (botConfig.isPending) return <p className="text-neutral-500">Loading the bot's config…</p>;
  if (botConfig.isError) return <Notice tone="error">Could not load the bot: {botConfig.error.message}</Notice>;
  const { bot, pending, canPropose } = botConfig.data;
  if (!canPropose) return <Notice tone="info">Your role can view configs but not propose changes.</Notice>;
  // Without a pending request the editor opens on this very render (setBase above).
  if (!pending) return null;
  return (
    <Notice tone="warning">
      {bot.symbol} has a pending request by {pending.proposer.name} already.{" "}
      <Link href={`/changes/${pending.id}`} className="underline">
        Review or cancel it
      </Link>{" "}
      before proposing another.
    </Notice>
  );
}

function Editor({ botId, baseVersion, baseConfig }: { botId: string; baseVersion: number | null; baseConfig: unknown }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  // A bot without any version runs on the defaults.
  const base = baseConfig ?? defaultBotConfig;
  const baseTexts = useMemo(() => configToTexts(base), [base]);
  const [texts, setTexts] = useState<ConfigTexts>(baseTexts);
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const result = useMemo(() => textsToConfig(texts), [texts]);
  const propose = useMutation(
    trpc.changes.proposeConfig.mutationOptions({
      onSuccess: async (request) => {
        await queryClient.invalidateQueries({ queryKey: trpc.changes.pathKey() });
        router.push(`/changes/${request.id}`);
      },
      onError: (error) => setProblem(problemOf(error)),
    }),
  );

  const serverIssues = configFieldErrors(problem);
  const issues = { ...serverIssues, ...(result.ok ? {} : Object.fromEntries(result.issues.map((issue) => [issue.path, issue.message]))) };
  const from = baseVersion === null ? "defaults" : `v${baseVersion}`;

  function edit(path: string, text: string) {
    setTexts((previous) => ({ ...previous, [path]: text }));
    // The server's word on a field stands until the field is edited.
    if (problem?.fields[`config.${path}`]) {
      const fields = { ...problem.fields };
      delete fields[`config.${path}`];
      setProblem({ ...problem, fields });
    }
  }

  return (
    <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_24rem]">
      <ConfigEditor texts={texts} baseTexts={baseTexts} issues={issues} onChange={edit} />
      <aside className="lg:sticky lg:top-16 lg:self-start">
        <ProposalPanel
          changes={result.ok ? diffConfigs(base, result.config) : null}
          fromLabel={from}
          invalidPaths={result.ok ? Object.keys(serverIssues) : result.issues.map((issue) => issue.path)}
          reason={reason}
          reasonIssue={problem?.fields.reason}
          onReason={setReason}
          problem={problem}
          submitting={propose.isPending}
          submitLabel={`Propose against ${from}`}
          requireChanges
          onSubmit={() => {
            if (!result.ok) return;
            setProblem(null);
            propose.mutate({ botId, baseVersion, config: result.input, reason });
          }}
        />
        <p className="mt-3 text-xs text-neutral-500">
          Another member with the OWNER or ADMIN role reviews it; once approved, the engine applies it live.{" "}
          <Link href={`/bots/${botId}/config`} className={linkClass}>
            Back to the config
          </Link>
        </p>
      </aside>
    </div>
  );
}
