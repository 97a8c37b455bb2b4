import type { ReactNode } from "react";

// The centred card, under the brand, of the pages seen before the dashboard: sign-in and joining a team.
export function VisitorCard({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-dvh items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex items-center gap-2">
          <span aria-hidden className="grid h-7 w-7 place-items-center rounded bg-emerald-500/15 text-emerald-400">
            ≡
          </span>
          <span className="text-base font-semibold tracking-tight text-neutral-100">Bandkeeper</span>
        </div>
        {children}
      </div>
    </main>
  );
}
