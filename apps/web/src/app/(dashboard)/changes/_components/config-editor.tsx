"use client";

import { CONFIG_SECTIONS, type ConfigField, type ConfigTexts, asPercent } from "../_lib/config-form";
import { inputClass } from "../_lib/ui";

interface EditorProps {
  texts: ConfigTexts;
  // The config in force, as text: fields that differ from it are marked.
  baseTexts: ConfigTexts | null;
  // Reasons by config path, from the form's own check or the server's.
  issues: Record<string, string>;
  onChange: (path: string, text: string) => void;
}

function inputId(path: string): string {
  return `config-${path.replaceAll(".", "-")}`;
}

function Field({ field, text, base, issue, onChange }: { field: ConfigField; text: string; base: string | null; issue: string | undefined; onChange: (text: string) => void }) {
  const id = inputId(field.path);
  const changed = base !== null && base.trim() !== text.trim();
  const percent = field.kind === "fraction" ? asPercent(text) : null;
  const describedBy = `${id}-note`;
  return (
    <div className={`border-l-2 pl-2 ${issue ? "border-red-500/70" : changed ? "border-amber-400/80" : "border-transparent"}`}>
      <label htmlFor={id} title={field.path} className="block truncate text-neutral-300">
        {field.label}
      </label>
      {field.kind === "enum" ? (
        <select id={id} value={text} onChange={(event) => onChange(event.target.value)} aria-invalid={Boolean(issue)} aria-describedby={describedBy} className={`mt-0.5 ${inputClass}`}>
          {field.options?.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      ) : (
        <div className="relative mt-0.5">
          <input
            id={id}
            value={text}
            inputMode={field.kind === "integer" || field.kind === "ms" ? "numeric" : "decimal"}
            autoComplete="off"
            spellCheck={false}
            placeholder={field.optional ? "not set" : undefined}
            onChange={(event) => onChange(event.target.value)}
            aria-invalid={Boolean(issue)}
            aria-describedby={describedBy}
            className={`${inputClass} ${field.kind === "ms" || percent ? "pr-16" : ""}`}
          />
          {(field.kind === "ms" || percent) && (
            <span aria-hidden className="pointer-events-none absolute inset-y-0 right-2 flex items-center font-mono text-xs text-neutral-500">
              {field.kind === "ms" ? "ms" : percent}
            </span>
          )}
        </div>
      )}
      <p id={describedBy} className="mt-0.5 min-h-4 text-xs">
        {issue ? (
          <span className="text-red-300" data-testid={`issue-${field.path}`}>
            {issue}
          </span>
        ) : changed ? (
          <span className="text-amber-300/90">was {base === "" ? "not set" : base}</span>
        ) : (
          <span className="text-neutral-500">{field.hint}</span>
        )}
      </p>
    </div>
  );
}

// Every setting of the engine's config, grouped as a trader thinks of them.
export function ConfigEditor({ texts, baseTexts, issues, onChange }: EditorProps) {
  return (
    <div className="space-y-4">
      {CONFIG_SECTIONS.map((section) => (
        <fieldset key={section.title} className="rounded border border-neutral-800 px-3 pt-1 pb-2">
          <legend className="px-1 text-xs font-medium uppercase tracking-wide text-neutral-400">{section.title}</legend>
          <div className="grid grid-cols-2 gap-x-3 gap-y-1 sm:gap-x-4 xl:grid-cols-3">
            {section.fields.map((field) => (
              <Field
                key={field.path}
                field={field}
                text={texts[field.path] ?? ""}
                base={baseTexts ? (baseTexts[field.path] ?? "") : null}
                issue={issues[field.path]}
                onChange={(text) => onChange(field.path, text)}
              />
            ))}
          </div>
        </fieldset>
      ))}
    </div>
  );
}
