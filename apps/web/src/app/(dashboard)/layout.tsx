import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { AppShell } from "~/components/app-shell";
import { CreateTeamForm } from "~/components/create-team-form";
import { THEME_COOKIE, themeOf } from "~/lib/theme";
import { SignOutButton } from "~/components/sign-out-button";
import { TeamSwitcher } from "~/components/team-switcher";
import { getSessionUser } from "~/server/auth";
import { AppError } from "~/server/errors";
import { TRPCReactProvider } from "~/trpc/react";
import { serverCaller } from "~/trpc/server";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await getSessionUser();
  if (!user) redirect("/signin");

  const caller = await serverCaller();
  const team = await caller.teams.current().catch((error: unknown) => {
    if (error instanceof AppError && (error.appCode === "NO_TEAM" || error.appCode === "NOT_TEAM_MEMBER")) return null;
    throw error;
  });

  const teams = await caller.teams.mine();

  if (!team) {
    // Removed from the session's team, or never in one: another team of theirs is one switch away.
    return (
      <main className="mx-auto max-w-md px-4 py-16">
        <h1 className="text-lg font-semibold text-neutral-100">{teams.length > 0 ? "Choose a team" : "No team yet"}</h1>
        <p className="mt-2 text-neutral-400">
          {teams.length > 0
            ? `${user.email} is no longer a member of the team this session was in. Continue in another team:`
            : `${user.email} is not a member of any team. Ask a team owner to invite you, or start a team of your own.`}
        </p>
        <div className="mt-6 flex items-center gap-3">
          {teams.length > 0 && <TeamSwitcher teams={teams} currentTeamId="" />}
          <SignOutButton />
        </div>
        <div className="mt-10">
          <TRPCReactProvider>
            <CreateTeamForm title="Start a team" />
          </TRPCReactProvider>
        </div>
      </main>
    );
  }

  return (
    <TRPCReactProvider>
      <AppShell teamName={team.name} teamId={team.id} teams={teams} role={team.role} user={user} theme={themeOf((await cookies()).get(THEME_COOKIE)?.value)}>
        {children}
      </AppShell>
    </TRPCReactProvider>
  );
}
