import Link from "next/link";
import type { ReactNode } from "react";
import { NavLinks, type NavItem } from "./nav-links";
import { OpenAlertsBadge } from "./open-alerts-badge";
import { SignOutButton } from "./sign-out-button";
import type { Theme } from "~/lib/theme";
import { ThemeChoice } from "./theme-choice";
import { type SwitchableTeam, TeamSwitcher } from "./team-switcher";

const NAV_ITEMS: readonly NavItem[] = [
  { href: "/", label: "Overview" },
  { href: "/bots", label: "Bots" },
  { href: "/changes", label: "Changes" },
  { href: "/alerts", label: "Alerts", badge: <OpenAlertsBadge /> },
  { href: "/accounts", label: "Accounts" },
  { href: "/members", label: "Members" },
  { href: "/audit", label: "Audit log" },
];

export interface ShellProps {
  teamName: string;
  teamId: string;
  // Every team of the user; with more than one, the team name becomes a switcher.
  teams: readonly SwitchableTeam[];
  role: string;
  user: { name: string; email: string };
  theme: Theme;
  children: ReactNode;
}

export function AppShell({ teamName, teamId, teams, role, user, theme, children }: ShellProps) {
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="sticky top-0 z-10 flex h-12 items-center gap-3 border-b border-neutral-800 bg-neutral-950/95 px-3 backdrop-blur md:px-4">
        <span className="flex items-center gap-2 font-semibold tracking-tight text-neutral-100">
          <span aria-hidden className="grid h-6 w-6 place-items-center rounded bg-emerald-500/15 text-emerald-400">
            ≡
          </span>
          Bandkeeper
        </span>
        <span aria-hidden className="text-neutral-700">
          /
        </span>
        {teams.length > 1 ? (
          <TeamSwitcher teams={teams} currentTeamId={teamId} />
        ) : (
          <span className="truncate text-neutral-300" data-testid="team-name">
            {teamName}
          </span>
        )}
        <span className="hidden rounded bg-neutral-800 px-1.5 py-0.5 text-xs uppercase tracking-wide text-neutral-400 sm:inline">
          {role}
        </span>
        <Link href="/teams/new" title="New team" className="hidden rounded px-1.5 py-0.5 text-xs text-neutral-400 hover:bg-neutral-900 hover:text-neutral-100 sm:inline">
          + New team
        </Link>
        <div className="ml-auto flex items-center gap-3">
          <ThemeChoice initial={theme} />
          <Link href="/profile" title="Profile and password" className="rounded px-1 text-right leading-tight hover:bg-neutral-900">
            <span className="hidden text-neutral-200 sm:block">{user.name}</span>
            <span className="hidden text-xs text-neutral-500 sm:block">{user.email}</span>
            <span className="text-neutral-300 sm:hidden">Profile</span>
          </Link>
          <SignOutButton />
        </div>
      </header>
      <div className="flex flex-1 flex-col md:flex-row">
        <nav
          aria-label="Main"
          className="overflow-x-auto border-b border-neutral-800 px-3 py-2 md:w-48 md:shrink-0 md:border-r md:border-b-0 md:py-4"
        >
          <NavLinks items={NAV_ITEMS} />
        </nav>
        <main className="min-w-0 flex-1 px-3 py-4 md:px-6 md:py-5">{children}</main>
      </div>
    </div>
  );
}
