"use client";

import type { ConfigChange } from "@bandkeeper/core/config";
import type { FormEvent, KeyboardEvent } from "react";
import { Notice, type Problem, buttonClass } from "~/components/forms";
import { fieldLabel } from "../_lib/config-form";
import { inputClass } from "../_lib/ui";
import { DiffTable } from "./diff-table";

interface PanelProps {
  // Null while the form has invalid fields: nothing can be compared yet.
  changes: readonly ConfigChange[] | null;
  fromLabel: string;
  invalidPaths: readonly string[];
  reason: string;
  reasonIssue: string | undefined;
  onReason: (reason: string) => void;
  problem: Problem | null;
  submitting: boolean;
  submitLabel: string;
  // A proposal must change something (a new bot may keep every default).
  requireChanges: boolean;
  // What else must be filled in before submitting (outside the config), if anything.
  missing?: string | undefined;
  onSubmit: () => void;
}

function fieldAnchor(path: string): string {
  return `#config-${path.replaceAll(".", "-")}`;
}

// The right-hand column of a proposal: the diff it would make, why, and the submit button.
export function ProposalPanel(props: PanelProps) {
  const { changes, invalidPaths, reason, problem, submitting, requireChanges } = props;
  const blocked =
    changes === null || (requireChanges && changes.length === 0) || reason.trim() === "" || Boolean(props.missing) || submitting;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!blocked) props.onSubmit();
  }

  function submitOnCtrlEnter(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) submit(event);
  }

  return (
    <form onSubmit={submit} className="space-y-3" noValidate aria-label="Proposal">
      <section aria-labelledby="diff-heading">
        <h2 id="diff-heading" className="mb-1 text-xs font-medium uppercase tracking-wide text-neutral-400">
          What would change
        </h2>
        {changes === null ? (
          <Notice tone="error">
            <p>
              {invalidPaths.length === 1 ? "One field is" : `${invalidPaths.length} fields are`} invalid:{" "}
              {invalidPaths.map((path, index) => (
                <span key={path}>
                  {index > 0 && ", "}
                  <a href={fieldAnchor(path)} className="underline">
                    {fieldLabel(path)}
                  </a>
                </span>
              ))}
            </p>
          </Notice>
        ) : changes.length === 0 && requireChanges ? (
          <p className="text-neutral-500">Nothing yet: edit a setting on the left.</p>
        ) : (
          <DiffTable changes={changes} fromLabel={props.fromLabel} toLabel="proposed" caption="Settings this proposal changes" />
        )}
      </section>
      <div>
        <label htmlFor="reason" className="block text-neutral-300">
          Reason <span className="text-neutral-500">(for the reviewer and the audit log)</span>
        </label>
        <textarea
          id="reason"
          value={reason}
          rows={3}
          onChange={(event) => props.onReason(event.target.value)}
          onKeyDown={submitOnCtrlEnter}
          aria-invalid={Boolean(props.reasonIssue)}
          aria-describedby="reason-note"
          className={`mt-0.5 ${inputClass} font-sans`}
          placeholder="e.g. the issuer asked for a wider band during the listing week"
        />
        <p id="reason-note" className="mt-0.5 text-xs text-red-300">
          {props.reasonIssue}
        </p>
      </div>
      {problem && <Notice tone="error">{problem.message}</Notice>}
      <div className="flex items-center gap-3">
        <button type="submit" disabled={blocked} className={buttonClass.primary}>
          {submitting ? "Submitting…" : props.submitLabel}
        </button>
        <span className="text-xs text-neutral-500">
          {props.missing ?? (reason.trim() === "" ? "Give a reason to submit" : "Ctrl+Enter in the reason submits")}
        </span>
      </div>
    </form>
  );
}
