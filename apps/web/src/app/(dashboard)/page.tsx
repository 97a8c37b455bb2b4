import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { isAsDesired } from "~/lib/bot-state";
import { getSessionUser } from "~/server/auth";
import { serverCaller } from "~/trpc/server";

export const metadata: Metadata = { title: "Overview" };

function Stat({ label, value, tone }: { label: string; value: number; tone?: string }) {
  return (
    <div className="rounded-md border border-neutral-800 bg-neutral-900/40 px-4 py-3">
      <dt className="text-xs uppercase tracking-wide text-neutral-500">{label}</dt>
      <dd className={`mt-1 font-mono text-2xl font-semibold ${tone ?? "text-neutral-100"}`}>{value}</dd>
    </div>
  );
}

export default async function OverviewPage() {
  if (!(await getSessionUser())) redirect("/signin");
  const bots = await (await serverCaller()).bots.list();
  const quoting = bots.filter((bot) => bot.actualState === "QUOTING" || bot.actualState === "DEGRADED").length;
  const faulted = bots.filter((bot) => bot.actualState === "FAULTED").length;
  // A bot not doing what was asked of it is still converging, or stuck and needs a look.
  const diverging = bots.filter((bot) => !isAsDesired(bot.desiredState, bot.actualState)).length;
  const accounts = new Set(bots.map((bot) => bot.account.id)).size;

  return (
    <>
      <h1 className="text-lg font-semibold text-neutral-100">Overview</h1>
      <dl className="mt-4 grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat label="Bots" value={bots.length} />
        <Stat label="Quoting" value={quoting} tone={quoting > 0 ? "text-emerald-300" : undefined} />
        <Stat label="Not as desired" value={diverging} tone={diverging > 0 ? "text-amber-300" : undefined} />
        <Stat label="Faulted" value={faulted} tone={faulted > 0 ? "text-red-300" : undefined} />
      </dl>
      <p className="mt-4 text-neutral-400">
        {bots.length} bot{bots.length === 1 ? "" : "s"} on {accounts} exchange account{accounts === 1 ? "" : "s"}.{" "}
        <Link href="/bots" className="text-emerald-400 hover:underline">
          See all bots
        </Link>
      </p>
    </>
  );
}
