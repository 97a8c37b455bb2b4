import { KPI_TARGETS, TARGETED_KPIS, type KpiSummary, type TargetedKpi, kpiValue, meetsTarget } from "@bandkeeper/core/kpi";
import { formatMs, formatPercent } from "~/lib/format";

export function formatKpi(kpi: TargetedKpi, value: number | null): string {
  return KPI_TARGETS[kpi].unit === "ms" ? formatMs(value) : formatPercent(value, kpi === "passiveFillRate" ? 2 : 3);
}

export function formatTarget(kpi: TargetedKpi): string {
  const { better, target } = KPI_TARGETS[kpi];
  return `${better === "higher" ? ">" : "<"} ${formatKpi(kpi, target).replace(/\.?0+%$/, "%")}`;
}

/** Colour only for a missed target; a met one stays plain. */
export function kpiTone(kpi: TargetedKpi, value: number | null): string {
  return meetsTarget(kpi, value) === false ? "text-red-300" : "text-neutral-200";
}

export interface KpiColumn {
  label: string;
  summary: KpiSummary;
}

/** The targeted KPIs of one bot over a few windows, each against its target. */
export function KpiTargetsTable({ columns, caption }: { columns: readonly KpiColumn[]; caption: string }) {
  return (
    <table className="w-full border-collapse text-xs">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr className="text-neutral-500">
          <th scope="col" className="py-0.5 pr-2 text-left font-medium">
            KPI
          </th>
          {columns.map((column) => (
            <th key={column.label} scope="col" className="px-2 py-0.5 text-right font-medium">
              {column.label}
            </th>
          ))}
          <th scope="col" className="py-0.5 pl-2 text-right font-medium">
            Target
          </th>
        </tr>
      </thead>
      <tbody className="font-mono">
        {TARGETED_KPIS.map((kpi) => (
          <tr key={kpi}>
            <th scope="row" className="py-0.5 pr-2 text-left font-sans font-normal text-neutral-400">
              {KPI_TARGETS[kpi].label}
            </th>
            {columns.map((column) => {
              const value = kpiValue(column.summary, kpi);
              const missed = meetsTarget(kpi, value) === false;
              return (
                <td key={column.label} className={`px-2 py-0.5 text-right ${kpiTone(kpi, value)}`}>
                  {formatKpi(kpi, value)}
                  {missed && <span className="sr-only"> (misses target)</span>}
                </td>
              );
            })}
            <td className="py-0.5 pl-2 text-right text-neutral-500">{formatTarget(kpi)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
