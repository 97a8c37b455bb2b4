"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";

export function SignOutButton() {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      disabled={pending}
      onClick={() => {
        setPending(true);
        void signOut({ callbackUrl: "/signin" });
      }}
      className="whitespace-nowrap rounded border border-neutral-700 px-2.5 py-1 text-neutral-300 hover:border-neutral-500 hover:text-neutral-100 disabled:opacity-60"
    >
      Sign out
    </button>
  );
}
