"use client";

import { type ReactNode, useId, useRef } from "react";
import { buttonClass } from "./forms";

// A button that asks first, in a modal <dialog>: Escape or Cancel backs out, focus starts on Cancel.
export function ConfirmButton({
  label,
  title,
  children,
  confirmLabel,
  tone = "danger",
  disabled,
  onConfirm,
  buttonStyle = "secondary",
}: {
  label: string;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  tone?: "danger" | "primary";
  disabled?: boolean;
  onConfirm: () => void;
  buttonStyle?: keyof typeof buttonClass;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  return (
    <>
      <button type="button" disabled={disabled} onClick={() => dialog.current?.showModal()} className={buttonClass[buttonStyle]}>
        {label}
      </button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-md border border-neutral-700 bg-neutral-900 p-0 text-left text-neutral-200 backdrop:bg-black/60"
      >
        <form method="dialog" className="space-y-3 p-4">
          <h2 id={titleId} className="text-base font-semibold text-neutral-100">
            {title}
          </h2>
          <div className="text-neutral-300">{children}</div>
          <div className="flex justify-end gap-2 pt-1">
            <button type="submit" value="cancel" autoFocus className={buttonClass.secondary}>
              Cancel
            </button>
            <button type="submit" value="confirm" onClick={onConfirm} className={buttonClass[tone]}>
              {confirmLabel}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
