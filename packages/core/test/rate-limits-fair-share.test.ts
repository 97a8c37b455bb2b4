import { describe, expect, it } from "vitest";
import { AccountRequestBudget, createIpBudget } from "../src/rate-limits";

const T = 1_000_020_000; // 20 ms into a 10 s window

function countAllowed(attempt: () => boolean, max = 1_000): number {
  let allowed = 0;
  while (allowed < max && attempt()) allowed++;
  return allowed;
}

describe("the account's new orders shared fairly by its bots", () => {
  it("a bot chasing the market cannot spend the others' shares of the window: they can still put their sides back", () => {
    const budget = new AccountRequestBudget(createIpBudget());
    const [btc, eth, bnb] = ["btc", "eth", "bnb"].map((bot) => budget.forBot(bot));
    // 50 orders per 10 s over three bots: 16 each are kept for the quiet two, the busy one gets the rest.
    expect(countAllowed(() => btc!.tryConsume("place", T, "RESTORE"))).toBe(50 - 2 * 16);
    expect(countAllowed(() => eth!.tryConsume("place", T, "RESTORE"))).toBe(16);
    expect(countAllowed(() => bnb!.tryConsume("place", T, "RESTORE"))).toBe(16);
    // Cancels are never held back: they do not count toward the order limits.
    expect(btc!.tryConsume("cancel", T, "RESTORE")).toBe(true);
    // The next window is everyone's again.
    expect(btc!.tryConsume("place", T + 10_000, "RESTORE")).toBe(true);
  });

  it("a neighbour that has used its share leaves the rest of the window to whoever needs it", () => {
    const budget = new AccountRequestBudget(createIpBudget());
    const [busy, quiet] = [budget.forBot("busy"), budget.forBot("quiet")];
    expect(countAllowed(() => quiet.tryConsume("place", T, "RESTORE"), 25)).toBe(25);
    expect(countAllowed(() => busy.tryConsume("place", T, "RESTORE"))).toBe(25);
  });

  it("counts what the exchange reports (other processes' orders, outside the shares), and frees a bot's share when it leaves", () => {
    const budget = new AccountRequestBudget(createIpBudget());
    const [a, b] = [budget.forBot("a"), budget.forBot("b")];
    budget.learnUsage([{ rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, count: 20 }], T);
    // a's fair share is 25 whatever others used; the window then has 5 left, for b.
    expect(countAllowed(() => a.tryConsume("place", T, "RESTORE"))).toBe(25);
    expect(countAllowed(() => b.tryConsume("place", T, "RESTORE"))).toBe(5);

    const next = T + 10_000;
    expect(countAllowed(() => a.tryConsume("place", next, "RESTORE"))).toBe(25);
    b.leave();
    // Alone now: the rest of the window is a's.
    expect(countAllowed(() => a.tryConsume("place", next, "RESTORE"))).toBe(25);
  });

  it("a bot restarted before its old run has left keeps one share until both runs are gone", () => {
    const budget = new AccountRequestBudget(createIpBudget());
    const [oldRun, newRun, other] = [budget.forBot("a"), budget.forBot("a"), budget.forBot("b")];
    oldRun.leave();
    oldRun.leave();
    expect(countAllowed(() => other.tryConsume("place", T, "RESTORE"))).toBe(25);
    newRun.leave();
    expect(countAllowed(() => other.tryConsume("place", T, "RESTORE"))).toBe(25);
  });

  it("a lone bot, and requests without a bot, use the account's budget as before", () => {
    const budget = new AccountRequestBudget(createIpBudget());
    const alone = budget.forBot("alone");
    expect(countAllowed(() => alone.tryConsume("place", T, "REQUOTE"))).toBe(40);
    expect(countAllowed(() => budget.tryConsume("place", T, "RESTORE"))).toBe(10);
  });
});
