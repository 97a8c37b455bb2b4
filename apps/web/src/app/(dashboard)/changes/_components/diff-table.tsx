import type { ConfigChange } from "@bandkeeper/core/config";
import { fieldLabel, formatConfigValue } from "../_lib/config-form";

// What would change, one setting a row: its path, the value now and the value proposed.
export function DiffTable({
  changes,
  fromLabel,
  toLabel,
  caption,
}: {
  changes: readonly ConfigChange[];
  fromLabel: string;
  toLabel: string;
  caption: string;
}) {
  if (changes.length === 0) return <p className="text-neutral-500">No setting differs.</p>;
  return (
    <div className="overflow-x-auto rounded border border-neutral-800">
      <table className="w-full border-collapse" data-testid="config-diff">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-neutral-900/60 text-xs uppercase tracking-wide text-neutral-500">
          <tr>
            <th scope="col" className="px-2 py-1.5 text-left font-medium">
              Setting
            </th>
            <th scope="col" className="px-2 py-1.5 text-left font-medium">
              {fromLabel}
            </th>
            <th scope="col" className="px-2 py-1.5 text-left font-medium">
              {toLabel}
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-neutral-800/70">
          {changes.map((change) => (
            <tr key={change.path}>
              <th scope="row" className="px-2 py-1 text-left align-top font-normal">
                <span className="text-neutral-200">{fieldLabel(change.path)}</span>
                <span className="block font-mono text-[11px] text-neutral-500">{change.path}</span>
              </th>
              <td className="px-2 py-1 align-top font-mono text-red-300/90">
                <del className="no-underline">{formatConfigValue(change.path, change.old)}</del>
              </td>
              <td className="px-2 py-1 align-top font-mono text-emerald-300">
                <ins className="no-underline">{formatConfigValue(change.path, change.new)}</ins>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
