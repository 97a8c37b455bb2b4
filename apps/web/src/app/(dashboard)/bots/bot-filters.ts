// The Bots page's search, filters and sort as they live in the page's URL (like the audit log's), so a filtered
// view can be shared, linked to (an account's bots from the Accounts page) and survives a reload.
import { BOT_ACTUAL_STATES, type BotActualState, isAsDesired } from "~/lib/bot-state";
import type { BotListItem } from "~/server/routers/bots/list";

export const SORT_KEYS = ["symbol", "account", "desired", "state", "changed", "config"] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDirection = "asc" | "desc";

// "attention": bots whose actual state is not what the operator asked for.
export type StateFilter = BotActualState | "attention" | "";

export interface BotFilterValues {
  // Part of a symbol or an account name, any case.
  query: string;
  state: StateFilter;
  // An exchange account's id.
  account: string;
  sort: SortKey;
  direction: SortDirection;
}

export const NO_BOT_FILTERS: BotFilterValues = { query: "", state: "", account: "", sort: "symbol", direction: "asc" };

// What a click on a column starts with: the newest change first, the other columns A to Z (state: trouble first).
export const FIRST_DIRECTION: Record<SortKey, SortDirection> = {
  symbol: "asc",
  account: "asc",
  desired: "asc",
  state: "asc",
  changed: "desc",
  config: "desc",
};

const isSortKey = (value: string): value is SortKey => (SORT_KEYS as readonly string[]).includes(value);
const isStateFilter = (value: string): value is StateFilter =>
  value === "attention" || (BOT_ACTUAL_STATES as readonly string[]).includes(value);

export function botFiltersFromSearch(search: URLSearchParams): BotFilterValues {
  const sort = search.get("sort") ?? "";
  const state = search.get("state") ?? "";
  const direction = search.get("dir");
  const key = isSortKey(sort) ? sort : NO_BOT_FILTERS.sort;
  return {
    query: search.get("q") ?? "",
    // A value the page does not know is no filter, not an empty list.
    state: isStateFilter(state) ? state : "",
    account: search.get("account") ?? "",
    sort: key,
    direction: direction === "asc" || direction === "desc" ? direction : FIRST_DIRECTION[key],
  };
}

export function botFiltersToSearch(filters: BotFilterValues): string {
  const search = new URLSearchParams();
  if (filters.query.trim() !== "") search.set("q", filters.query);
  if (filters.state !== "") search.set("state", filters.state);
  if (filters.account !== "") search.set("account", filters.account);
  if (filters.sort !== NO_BOT_FILTERS.sort || filters.direction !== FIRST_DIRECTION[filters.sort]) {
    search.set("sort", filters.sort);
    search.set("dir", filters.direction);
  }
  const text = search.toString();
  return text === "" ? "" : `?${text}`;
}

export function isFiltered(filters: BotFilterValues): boolean {
  return filters.query.trim() !== "" || filters.state !== "" || filters.account !== "";
}

// Needing attention first: a faulted or halted bot before one that quotes, and a paused or stopped one last.
const STATE_RANK: Record<BotActualState, number> = {
  FAULTED: 0,
  HALTED: 1,
  DEGRADED: 2,
  STARTING: 3,
  STOPPING: 4,
  QUOTING: 5,
  PAUSED: 6,
  STOPPED: 7,
};
const DESIRED_RANK = { RUNNING: 0, PAUSED: 1, STOPPED: 2 } as const;

function compare(key: SortKey, a: BotListItem, b: BotListItem): number {
  switch (key) {
    case "symbol":
      return a.symbol.localeCompare(b.symbol);
    case "account":
      return a.account.name.localeCompare(b.account.name);
    case "desired":
      return DESIRED_RANK[a.desiredState] - DESIRED_RANK[b.desiredState];
    case "state":
      return STATE_RANK[a.actualState] - STATE_RANK[b.actualState];
    case "changed":
      return a.stateChangedAt.getTime() - b.stateChangedAt.getTime();
    case "config":
      // A bot without an approved config sorts below version 1.
      return (a.configVersion ?? 0) - (b.configVersion ?? 0);
  }
}

/** The bots that match, in the order asked for; ties fall back to the symbol, then the account, A to Z. */
export function filterAndSortBots(bots: readonly BotListItem[], filters: BotFilterValues): BotListItem[] {
  const query = filters.query.trim().toLowerCase();
  const sign = filters.direction === "asc" ? 1 : -1;
  return bots
    .filter((bot) => query === "" || bot.symbol.toLowerCase().includes(query) || bot.account.name.toLowerCase().includes(query))
    .filter((bot) => filters.account === "" || bot.account.id === filters.account)
    .filter((bot) => {
      if (filters.state === "") return true;
      if (filters.state === "attention") return !isAsDesired(bot.desiredState, bot.actualState);
      return bot.actualState === filters.state;
    })
    .sort(
      (a, b) =>
        sign * compare(filters.sort, a, b) ||
        a.symbol.localeCompare(b.symbol) ||
        a.account.name.localeCompare(b.account.name) ||
        a.id.localeCompare(b.id),
    );
}

/** The accounts the bots are on, for the account filter's choices, by name. */
export function accountsOf(bots: readonly BotListItem[]): { id: string; name: string }[] {
  const byId = new Map(bots.map((bot) => [bot.account.id, bot.account.name]));
  return [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
}
