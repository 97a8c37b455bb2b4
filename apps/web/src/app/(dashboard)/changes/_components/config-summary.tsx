import { CONFIG_SECTIONS, formatConfigValue } from "../_lib/config-form";

function valueAt(config: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => (typeof node === "object" && node !== null ? (node as Record<string, unknown>)[key] : undefined), config);
}

// Every setting of a config, read-only and compact.
export function ConfigSummary({ config }: { config: unknown }) {
  return (
    <div className="grid gap-x-6 gap-y-3 sm:grid-cols-2 xl:grid-cols-3">
      {CONFIG_SECTIONS.map((section) => (
        <dl key={section.title}>
          <dt className="mb-0.5 text-xs font-medium uppercase tracking-wide text-neutral-500">{section.title}</dt>
          {section.fields.map((field) => (
            <dd key={field.path} className="flex justify-between gap-3 border-b border-neutral-900 py-0.5">
              <span className="text-neutral-400">{field.label}</span>
              <span className="text-right font-mono text-neutral-200">{formatConfigValue(field.path, valueAt(config, field.path))}</span>
            </dd>
          ))}
        </dl>
      ))}
    </div>
  );
}
