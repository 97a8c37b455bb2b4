import { describe, expect, it } from "vitest";
import { NO_FILTERS, auditQueryInput, filtersFromSearch, filtersToSearch } from "../src/app/(dashboard)/audit/filters";

describe("audit log filters", () => {
  it("turn an inclusive day range into [start of the first day, start of the day after the last) in UTC", () => {
    expect(auditQueryInput({ ...NO_FILTERS, from: "2026-03-01", to: "2026-03-31" })).toEqual({
      from: new Date("2026-03-01T00:00:00Z"),
      to: new Date("2026-04-01T00:00:00Z"),
    });
  });

  it("leave out empty and malformed values", () => {
    expect(auditQueryInput(NO_FILTERS)).toEqual({});
    expect(auditQueryInput({ ...NO_FILTERS, from: "01/03/2026", to: "2026-02-30" })).toEqual({});
    expect(auditQueryInput({ ...NO_FILTERS, actor: "u1", action: "bot.pause", entity: "Bot" })).toEqual({
      actorId: "u1",
      action: "bot.pause",
      entityType: "Bot",
    });
  });

  it("round-trip through the URL, which names only the filters set", () => {
    const filters = { ...NO_FILTERS, action: "member.change_role", from: "2026-03-01" };
    const search = filtersToSearch(filters);
    expect(search).toBe("?action=member.change_role&from=2026-03-01");
    expect(filtersFromSearch(new URLSearchParams(search))).toEqual(filters);
    expect(filtersToSearch(NO_FILTERS)).toBe("");
  });
});
