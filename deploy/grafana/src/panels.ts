// Building blocks for the dashboards, typed by Grafana's own dashboard schema (@grafana/schema): a field the schema
// does not know, or a value of the wrong type, fails the typecheck, and deploy/test/grafana.test.ts checks the JSON
// Grafana reads is exactly what these produce.
import { DashboardCursorSync, FieldColorModeId, ThresholdsMode, VariableRefresh, VariableSort, type Dashboard, type DataSourceRef, type Panel, type RowPanel, type VariableModel } from "@grafana/schema";

/** The datasource variable every panel uses: the provisioned Prometheus by default, any other one by choice. */
export const DATASOURCE: DataSourceRef = { type: "prometheus", uid: "${datasource}" };

/** The provisioned datasource's uid (grafana/provisioning/datasources/prometheus.yaml). */
export const PROVISIONED_DATASOURCE_UID = "bandkeeper-prometheus";

export interface Query {
  expr: string;
  legend?: string;
  /** A single value per series (stat, table), not a time series. */
  instant?: boolean;
}

type Unit = "percentunit" | "s" | "short" | "none" | "ops" | "bool_on_off";

export interface PanelSpec {
  title: string;
  description?: string;
  queries: Query[];
  unit?: Unit;
  /** Grid position: 24 columns wide. */
  w: number;
  h: number;
  x: number;
  y: number;
  min?: number;
  max?: number;
  /** Red below the first step, amber below the second, green above (for ratios: the KPI target). */
  thresholds?: { red: number; amber?: number };
  decimals?: number;
}

function targets(queries: Query[]): Record<string, unknown>[] {
  return queries.map((query, index) => ({
    refId: String.fromCharCode(65 + index),
    datasource: DATASOURCE,
    expr: query.expr,
    legendFormat: query.legend ?? "__auto",
    ...(query.instant ? { instant: true, range: false } : { range: true }),
  }));
}

function fieldConfig(spec: PanelSpec): Panel["fieldConfig"] {
  const steps = spec.thresholds
    ? [
        { color: "red", value: null },
        ...(spec.thresholds.amber === undefined ? [] : [{ color: "orange", value: spec.thresholds.red }]),
        { color: "green", value: spec.thresholds.amber ?? spec.thresholds.red },
      ]
    : [{ color: "green", value: null }];
  return {
    defaults: {
      unit: spec.unit ?? "short",
      ...(spec.min === undefined ? {} : { min: spec.min }),
      ...(spec.max === undefined ? {} : { max: spec.max }),
      ...(spec.decimals === undefined ? {} : { decimals: spec.decimals }),
      thresholds: { mode: ThresholdsMode.Absolute, steps },
      color: { mode: spec.thresholds ? FieldColorModeId.Thresholds : FieldColorModeId.PaletteClassic },
    },
    overrides: [],
  };
}

let nextId = 1;

/** Panel ids are unique within a dashboard; each dashboard starts counting again. */
export function resetPanelIds(): void {
  nextId = 1;
}

function base(spec: PanelSpec, type: string): Panel {
  return {
    id: nextId++,
    type,
    title: spec.title,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    datasource: DATASOURCE,
    gridPos: { w: spec.w, h: spec.h, x: spec.x, y: spec.y },
    targets: targets(spec.queries),
    fieldConfig: fieldConfig(spec),
  };
}

export function timeseries(spec: PanelSpec): Panel {
  return {
    ...base(spec, "timeseries"),
    options: { legend: { displayMode: "table", placement: "bottom", showLegend: true, calcs: ["lastNotNull", "min"] }, tooltip: { mode: "multi", sort: "none" } },
  };
}

export function stat(spec: PanelSpec): Panel {
  return {
    ...base(spec, "stat"),
    options: { reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false }, colorMode: "background", graphMode: "none", textMode: "auto", justifyMode: "auto", orientation: "auto" },
  };
}

export function table(spec: PanelSpec): Panel {
  return {
    ...base(spec, "table"),
    options: { showHeader: true, cellHeight: "sm", footer: { show: false, reducer: ["sum"], fields: "" } },
    transformations: [{ id: "merge", options: {} }],
  };
}

export function row(title: string, y: number): RowPanel {
  return { id: nextId++, type: "row", title, collapsed: false, gridPos: { w: 24, h: 1, x: 0, y }, panels: [] };
}

/** A dashboard variable over a label of a metric (e.g. the bots' names from bandkeeper_bot_info). */
export function labelVariable(name: string, label: string, query: string, options: { multi?: boolean; includeAll?: boolean } = {}): VariableModel {
  return {
    name,
    label,
    type: "query",
    datasource: DATASOURCE,
    query: { query, refId: `${name}-variable` },
    refresh: VariableRefresh.onTimeRangeChanged,
    includeAll: options.includeAll ?? false,
    multi: options.multi ?? false,
    sort: VariableSort.alphabeticalAsc,
  };
}

const datasourceVariable: VariableModel = { name: "datasource", label: "Prometheus", type: "datasource", query: "prometheus", current: { text: "Prometheus", value: PROVISIONED_DATASOURCE_UID } };

export function dashboard(fields: { uid: string; title: string; description: string; tags: string[]; variables: VariableModel[]; panels: (Panel | RowPanel)[]; time?: string }): Dashboard {
  return {
    uid: fields.uid,
    title: fields.title,
    description: fields.description,
    tags: ["bandkeeper", ...fields.tags],
    schemaVersion: 39,
    version: 1,
    editable: false,
    graphTooltip: DashboardCursorSync.Crosshair,
    refresh: "30s",
    timezone: "utc",
    time: { from: fields.time ?? "now-6h", to: "now" },
    templating: { list: [datasourceVariable, ...fields.variables] },
    annotations: { list: [] },
    links: [
      { title: "Bandkeeper", type: "dashboards", tags: ["bandkeeper"], asDropdown: true, includeVars: true, keepTime: true, icon: "external link", targetBlank: false, tooltip: "", url: "" },
    ],
    panels: fields.panels,
  };
}
