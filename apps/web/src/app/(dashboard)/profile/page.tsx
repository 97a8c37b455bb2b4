import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionUser } from "~/server/auth";
import { HydrateClient, getQueryClient, trpc } from "~/trpc/server";
import { ChangePasswordForm } from "./change-password-form";
import { MyTeams } from "./my-teams";
import { SessionsSection } from "./sessions-section";
import { TwoFactorSection } from "./two-factor-section";

export const metadata: Metadata = { title: "Profile" };

export default async function ProfilePage() {
  const user = await getSessionUser();
  if (!user) redirect("/signin");
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpc.teams.mine.queryOptions()),
    queryClient.prefetchQuery(trpc.profile.twoFactor.status.queryOptions()),
    queryClient.prefetchQuery(trpc.profile.sessions.queryOptions()),
  ]);
  return (
    <HydrateClient>
      <h1 className="text-lg font-semibold text-neutral-100">Profile</h1>
      <dl className="mt-3 grid max-w-md grid-cols-[6rem_1fr] gap-y-1">
        <dt className="text-neutral-500">Name</dt>
        <dd className="text-neutral-100">{user.name}</dd>
        <dt className="text-neutral-500">Email</dt>
        <dd className="text-neutral-100">{user.email}</dd>
      </dl>
      <div className="mt-6 grid gap-8 lg:grid-cols-2">
        <ChangePasswordForm />
        <MyTeams />
        <TwoFactorSection />
        <SessionsSection />
      </div>
    </HydrateClient>
  );
}
