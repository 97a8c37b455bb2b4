// The audit log's filters as they live in the page's URL, so a filtered view can be shared and survives a reload.

export interface AuditFilterValues {
  actor: string;
  action: string;
  entity: string;
  // Days as YYYY-MM-DD (UTC), both included.
  from: string;
  to: string;
}

export const NO_FILTERS: AuditFilterValues = { actor: "", action: "", entity: "", from: "", to: "" };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function filtersFromSearch(search: URLSearchParams): AuditFilterValues {
  const read = (name: string) => search.get(name) ?? "";
  return { actor: read("actor"), action: read("action"), entity: read("entity"), from: read("from"), to: read("to") };
}

export function filtersToSearch(filters: AuditFilterValues): string {
  const search = new URLSearchParams(Object.entries(filters).filter(([, value]) => value !== ""));
  const text = search.toString();
  return text === "" ? "" : `?${text}`;
}

function startOfDay(day: string): Date | undefined {
  if (!DAY.test(day)) return undefined;
  const date = new Date(`${day}T00:00:00Z`);
  // Date rolls 2026-02-30 over to March; a day that does not exist is no filter.
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(day) ? date : undefined;
}

// The procedure's input: the range [start of `from`, start of the day after `to`).
export function auditQueryInput(filters: AuditFilterValues) {
  const from = startOfDay(filters.from);
  const toDay = startOfDay(filters.to);
  const to = toDay ? new Date(toDay.getTime() + 24 * 60 * 60 * 1000) : undefined;
  return {
    ...(filters.actor ? { actorId: filters.actor } : {}),
    ...(filters.action ? { action: filters.action } : {}),
    ...(filters.entity ? { entityType: filters.entity } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
}
