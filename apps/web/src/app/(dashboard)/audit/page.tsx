import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Suspense } from "react";
import { getSessionUser } from "~/server/auth";
import { AuditLog } from "./audit-log";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage() {
  if (!(await getSessionUser())) redirect("/signin");
  return (
    <>
      <h1 className="text-lg font-semibold text-neutral-100">Audit log</h1>
      <p className="mt-1 text-neutral-400">
        Every privileged action of this team: who did it, when, and the change request it came from. Times are UTC.
      </p>
      <div className="mt-4">
        {/* The filters live in the URL's search params, which a client component reads inside Suspense. */}
        <Suspense fallback={<p className="text-neutral-500">Loading the audit log…</p>}>
          <AuditLog />
        </Suspense>
      </div>
    </>
  );
}
