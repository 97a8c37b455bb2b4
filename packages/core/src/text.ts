// Names and free text people type: control characters (NUL and the rest of C0, DEL, C1) are refused as a field
// error rather than reaching Postgres, which rejects NUL in text with an error the user would see as a crash; so
// are the bidirectional overrides that make a name display as something else. Free text keeps tabs and newlines.
import { z } from "zod";

// Matching control characters is the point of these two.
/* eslint-disable no-control-regex */
const LINE_REFUSED = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
const TEXT_REFUSED = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
/* eslint-enable no-control-regex */

export const CONTROL_CHARACTER_MESSAGE = "Use printable characters only (no control characters such as NUL).";

/** A one-line text: a name, a title. */
export function isPlainLine(text: string): boolean {
  return !LINE_REFUSED.test(text);
}

/** Free text: a reason, a comment (tabs and line breaks allowed). */
export function isPlainText(text: string): boolean {
  return !TEXT_REFUSED.test(text);
}

/** A trimmed one-line text of `min`..`max` characters, with the caller's messages for the bounds. */
export function lineText(bounds: { min?: { length: number; message: string }; max: { length: number; message: string } }) {
  const base = z.string().trim();
  const lower = bounds.min ? base.min(bounds.min.length, bounds.min.message) : base;
  return lower.max(bounds.max.length, bounds.max.message).refine(isPlainLine, CONTROL_CHARACTER_MESSAGE);
}
