// The series and label names a running engine exposes, from its own metric registry: what dashboards and alert
// rules may query.
import { Histogram } from "prom-client";
import { EngineMetrics } from "@bandkeeper/engine/src/observability/metrics";

interface RegisteredMetric {
  name: string;
  labelNames?: readonly string[];
}

function registered(): RegisteredMetric[] {
  return new EngineMetrics().registry.getMetricsAsArray();
}

export function engineSeriesNames(): Set<string> {
  const names = new Set<string>();
  for (const metric of registered()) {
    names.add(metric.name);
    if (metric instanceof Histogram) for (const suffix of ["_bucket", "_sum", "_count"]) names.add(metric.name + suffix);
  }
  return names;
}

/** Every label an engine series carries, and the ones Prometheus adds to each scrape (and a histogram's `le`). */
export function engineLabelNames(): Set<string> {
  const labels = new Set(["instance", "job", "le"]);
  for (const metric of registered()) for (const name of metric.labelNames ?? []) labels.add(name);
  return labels;
}

/** The bandkeeper_* series a PromQL expression reads. */
export function seriesIn(expr: string): string[] {
  return [...expr.matchAll(/\b(bandkeeper_[a-z0-9_]+)/g)].map((match) => match[1]!);
}

/** Label names an expression filters bandkeeper series by, or groups and joins by (`by (...)`, `on(...)`). */
export function labelsIn(expr: string): string[] {
  const selectors = [...expr.matchAll(/bandkeeper_[a-z0-9_]+\{([^}]*)\}/g)].flatMap((match) => [...match[1]!.matchAll(/([a-z_]+)\s*(?:=~|!=|!~|=)/g)].map((m) => m[1]!));
  const groupings = [...expr.matchAll(/\b(?:by|on|group_left)\s*\(([^)]*)\)/g)].flatMap((match) =>
    match[1]!
      .split(",")
      .map((label) => label.trim())
      .filter(Boolean),
  );
  return [...selectors, ...groupings];
}
