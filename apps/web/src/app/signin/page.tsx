import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { VisitorCard } from "~/components/visitor-card";
import { safeCallbackPath } from "~/lib/safe-redirect";
import { getSessionUser } from "~/server/auth";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const callbackPath = safeCallbackPath((await searchParams).callbackUrl);
  if (await getSessionUser()) redirect(callbackPath);

  return (
    <VisitorCard>
      <h1 className="text-xl font-semibold text-neutral-100">Sign in</h1>
      <p className="mt-1 text-neutral-400">Use the email and password of your team account.</p>
      <SignInForm callbackPath={callbackPath} />
    </VisitorCard>
  );
}
