import type { Metadata } from "next";
import { VisitorCard } from "~/components/visitor-card";
import { AppError } from "~/server/errors";
import { TRPCReactProvider } from "~/trpc/react";
import { serverCaller } from "~/trpc/server";
import { AcceptInvitationForm } from "./accept-invitation-form";

export const metadata: Metadata = { title: "Join a team" };

// Open without a session: the link's token is what lets its holder in.
export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const caller = await serverCaller();
  const invitation = await caller.invitations.preview({ token }).catch((error: unknown) => {
    if (error instanceof AppError && (error.appCode === "NOT_FOUND" || error.appCode === "INVALID_INPUT")) {
      return { problem: error.message };
    }
    throw error;
  });

  return (
    <VisitorCard>
      {"problem" in invitation ? (
        <>
          <h1 className="text-xl font-semibold text-neutral-100">Invitation not usable</h1>
          <p role="alert" className="mt-2 text-neutral-300">
            {invitation.problem}
          </p>
          <a href="/signin" className="mt-6 inline-block text-emerald-400 hover:text-emerald-300 hover:underline">
            Go to sign-in
          </a>
        </>
      ) : (
        <>
          <h1 className="text-xl font-semibold text-neutral-100">Join {invitation.teamName}</h1>
          <p className="mt-1 text-neutral-400">
            {invitation.invitedBy} invited <span className="text-neutral-200">{invitation.email}</span> as{" "}
            <span className="font-mono text-neutral-200">{invitation.role}</span>.
          </p>
          <TRPCReactProvider>
            <AcceptInvitationForm token={token} email={invitation.email} hasAccount={invitation.hasAccount} />
          </TRPCReactProvider>
        </>
      )}
    </VisitorCard>
  );
}
