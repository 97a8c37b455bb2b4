"use client";

import { type ReactNode, type RefObject, useId, useState } from "react";

export interface Confirmation {
  title: string;
  body: ReactNode;
  action: string;
  // A dangerous action's button is red and does not take the focus, so Enter alone does not confirm it.
  danger: boolean;
}

const button = "rounded px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 disabled:opacity-50";

/**
 * The confirmation of an operation on bots, in a modal <dialog> the caller opens (`dialogRef.current.showModal()`):
 * what will happen, an optional reason for the audit log, Cancel or confirm. Escape cancels.
 */
export function ReasonDialog({
  dialogRef,
  confirmation,
  onConfirm,
  onClose,
}: {
  dialogRef: RefObject<HTMLDialogElement | null>;
  confirmation: Confirmation | null;
  onConfirm: (reason: string | undefined) => void;
  onClose: () => void;
}) {
  const titleId = useId();
  const [reason, setReason] = useState("");
  return (
    <dialog
      ref={dialogRef}
      aria-labelledby={titleId}
      onClose={() => {
        setReason("");
        onClose();
      }}
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-md border border-neutral-700 bg-neutral-900 p-0 text-left text-neutral-200 backdrop:bg-black/60"
    >
      {confirmation && (
        <form
          method="dialog"
          className="space-y-3 p-4"
          onSubmit={(event) => {
            event.preventDefault();
            onConfirm(reason.trim() === "" ? undefined : reason.trim());
            dialogRef.current?.close();
          }}
        >
          <h2 id={titleId} className="text-base font-semibold text-neutral-50">
            {confirmation.title}
          </h2>
          <div className="text-sm text-neutral-400">{confirmation.body}</div>
          <label className="block text-xs text-neutral-400">
            Reason (optional, kept in the audit log)
            <input
              value={reason}
              onChange={(event) => setReason(event.target.value)}
              maxLength={500}
              className="mt-1 block w-full rounded border border-neutral-700 bg-neutral-950 px-2 py-1.5 text-sm text-neutral-100"
            />
          </label>
          <div className="flex justify-end gap-2">
            <button type="button" onClick={() => dialogRef.current?.close()} className={`${button} bg-neutral-800 text-neutral-200 hover:bg-neutral-700`}>
              Cancel
            </button>
            <button
              type="submit"
              autoFocus={!confirmation.danger}
              className={`${button} ${confirmation.danger ? "bg-red-600 hover:bg-red-500" : "bg-emerald-700 hover:bg-emerald-600"} text-white`}
            >
              {confirmation.action}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
