import type { Metadata } from "next";
import { CreateTeamForm } from "~/components/create-team-form";

export const metadata: Metadata = { title: "New team" };

export default function NewTeamPage() {
  return (
    <div className="space-y-4">
      <h1 className="text-lg font-semibold text-neutral-100">New team</h1>
      <CreateTeamForm />
    </div>
  );
}
