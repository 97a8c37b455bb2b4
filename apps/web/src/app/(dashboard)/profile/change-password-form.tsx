"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { InputField, Notice, type Problem, buttonClass, formText, problemOf } from "~/components/forms";
import { PASSWORD_MIN_LENGTH } from "~/lib/passwords";
import { useTRPC } from "~/trpc/react";

export function ChangePasswordForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [changed, setChanged] = useState(false);
  const change = useMutation(
    trpc.profile.changePassword.mutationOptions({
      onError: (error) => setProblem(problemOf(error)),
    }),
  );

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setProblem(null);
    setChanged(false);
    change.mutate(
      {
        currentPassword: formText(form, "currentPassword"),
        newPassword: formText(form, "newPassword"),
        confirmPassword: formText(form, "confirmPassword"),
      },
      {
        onSuccess: () => {
          formElement.reset();
          setChanged(true);
          // The other browsers were signed out: the session list says so.
          void queryClient.invalidateQueries({ queryKey: trpc.profile.sessions.queryKey() });
        },
      },
    );
  }

  const error = (field: string) => problem?.fields[field];
  return (
    <form onSubmit={submit} noValidate aria-labelledby="password-heading" className="max-w-md space-y-3">
      <h2 id="password-heading" className="font-semibold text-neutral-100">
        Change password
      </h2>
      {changed && <Notice tone="success">Password changed. Every other browser signed in as you is signed out; use the new password the next time you sign in.</Notice>}
      {problem && Object.keys(problem.fields).length === 0 && <Notice tone="error">{problem.message}</Notice>}
      <InputField
        id="current-password"
        label="Current password"
        error={error("currentPassword")}
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
      />
      <InputField
        id="new-password"
        label="New password"
        error={error("newPassword")}
        hint={`At least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words make a strong one.`}
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN_LENGTH}
      />
      <InputField
        id="confirm-password"
        label="New password again"
        error={error("confirmPassword")}
        name="confirmPassword"
        type="password"
        autoComplete="new-password"
        required
      />
      <button type="submit" disabled={change.isPending} className={buttonClass.primary}>
        {change.isPending ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}
