import type { Metadata } from "next";
import { redirect } from "next/navigation";
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
    <main className="flex min-h-dvh items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex items-center gap-2">
          <span aria-hidden className="grid h-7 w-7 place-items-center rounded bg-emerald-500/15 text-emerald-400">
            ≡
          </span>
          <span className="text-base font-semibold tracking-tight text-neutral-100">Bandkeeper</span>
        </div>
        <h1 className="text-xl font-semibold text-neutral-100">Sign in</h1>
        <p className="mt-1 text-neutral-400">Use the email and password of your team account.</p>
        <SignInForm callbackPath={callbackPath} />
      </div>
    </main>
  );
}
