"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { InputField, Notice, type Problem, buttonClass, formText, problemOf } from "~/components/forms";
import { useTRPC } from "~/trpc/react";
import { switchTeam } from "./team-switcher";

/** Founds a team with the signed-in user as its OWNER, then moves the session into it. */
export function CreateTeamForm({ title }: { title?: string }) {
  const trpc = useTRPC();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [switching, setSwitching] = useState(false);
  const create = useMutation(
    trpc.teams.create.mutationOptions({
      onSuccess: async (team) => {
        setSwitching(true);
        // A full load of the new team's alert rules: the header, the navigation and every query change team.
        if (await switchTeam(team.id)) window.location.assign("/alerts");
        else {
          setSwitching(false);
          setProblem({ message: `${team.name} was created, but the session did not switch to it: sign in again.`, fields: {} });
        }
      },
      onError: (error) => setProblem(problemOf(error)),
    }),
  );
  const pending = create.isPending || switching;
  return (
    <form
      noValidate
      aria-label="New team"
      className="max-w-md space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        setProblem(null);
        create.mutate({ name: formText(new FormData(event.currentTarget), "name") });
      }}
    >
      {title && <h2 className="font-semibold text-neutral-100">{title}</h2>}
      <p className="text-neutral-400">You will be its owner. It starts with the default alert rules; add a channel for them on the Alerts page.</p>
      {problem && Object.keys(problem.fields).length === 0 && <Notice tone="error">{problem.message}</Notice>}
      <InputField id="team-name" name="name" label="Team name" autoComplete="organization" required maxLength={60} error={problem?.fields.name} />
      <button type="submit" disabled={pending} className={buttonClass.primary}>
        {pending ? "Creating…" : "Create team"}
      </button>
    </form>
  );
}
