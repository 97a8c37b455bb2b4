"use client";

import { getCsrfToken } from "next-auth/react";
import { useState } from "react";

export interface SwitchableTeam {
  id: string;
  name: string;
  role: string;
}

// next-auth's session update (what useSession().update() sends): the jwt callback takes the new teamId only
// when the user is a member of that team, so the answer says whether the switch happened.
export async function switchTeam(teamId: string): Promise<boolean> {
  const csrfToken = await getCsrfToken();
  const response = await fetch("/api/auth/session", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ csrfToken, data: { teamId } }),
  });
  if (!response.ok) return false;
  const session = (await response.json()) as { teamId?: string | null };
  return session.teamId === teamId;
}

export function TeamSwitcher({ teams, currentTeamId }: { teams: readonly SwitchableTeam[]; currentTeamId: string }) {
  const [pending, setPending] = useState(false);
  const [failed, setFailed] = useState(false);
  return (
    <span className="flex min-w-0 items-center gap-1.5">
      <label htmlFor="team-switcher" className="sr-only">
        Team
      </label>
      <select
        id="team-switcher"
        data-testid="team-switcher"
        value={currentTeamId}
        disabled={pending}
        onChange={(event) => {
          const teamId = event.target.value;
          setPending(true);
          setFailed(false);
          void switchTeam(teamId).then((switched) => {
            // A full load, on the overview: ids on the current page belong to the team being left.
            if (switched) window.location.assign("/");
            else {
              setPending(false);
              setFailed(true);
            }
          });
        }}
        className="min-w-0 max-w-[40vw] truncate rounded border border-neutral-800 bg-neutral-950 py-0.5 pr-6 pl-1.5 text-neutral-200 hover:border-neutral-600 focus:border-emerald-500 focus:outline-none disabled:opacity-60"
      >
        {currentTeamId === "" && (
          <option value="" disabled>
            Choose a team…
          </option>
        )}
        {teams.map((team) => (
          <option key={team.id} value={team.id}>
            {team.name} ({team.role.toLowerCase()})
          </option>
        ))}
      </select>
      {failed && (
        <span role="alert" className="text-xs text-red-300">
          Could not switch: you may no longer be a member.
        </span>
      )}
    </span>
  );
}
