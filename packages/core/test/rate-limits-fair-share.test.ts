import { describe, expect, it } from "vitest";
import { AccountRequestBudget, createIpBudget } from "../src/rate-limits";

const T = 1_000_020_000; // 20 ms into a 10 s window

function countAllowed(attempt: () => boolean, max = 1_000): number {
  let allowed = 0;
  while (allowed < max && attempt()) allowed++;
  return allowed;
}

// 50 new orders per 10 s: the first 40 are anyone's, the last 10 are kept for restores and split between the bots.
describe("the restore reserve of the account's new-order windows, split between its bots", () => {
  it("a bot chasing the market cannot spend the others' portions: they can still put their sides back", () => {
    const budget = new AccountRequestBudget(createIpBudget());
    const [btc, eth, bnb] = ["btc", "eth", "bnb"].map((bot) => budget.forBot(bot));
    // The first 40 are anyone's; of the reserve, 3 each are kept for the quiet two.
    expect(countAllowed(() => btc!.tryConsume("place", T, "RESTORE"))).toBe(50 - 2 * 3);
    expect(countAllowed(() => eth!.tryConsume("place", T, "RESTORE"))).toBe(3);
    expect(countAllowed(() => bnb!.tryConsume("place", T, "RESTORE"))).toBe(3);
    // Cancels are never held back: they do not count toward the order limits.
    expect(btc!.tryConsume("cancel", T, "RESTORE")).toBe(true);
    // The next window is everyone's again.
    expect(btc!.tryConsume("place", T + 10_000, "RESTORE")).toBe(true);
  });

  it("holds nobody back below the reserve, and a neighbour that used its portion leaves the rest to whoever needs it", () => {
    const budget = new AccountRequestBudget(createIpBudget());
    const [busy, quiet] = [budget.forBot("busy"), budget.forBot("quiet")];
    expect(countAllowed(() => quiet.tryConsume("place", T, "RESTORE"), 30)).toBe(30);
    expect(countAllowed(() => busy.tryConsume("place", T, "RESTORE"), 10)).toBe(10);
    // 40 used: the reserve of 10 is 5 each. quiet takes its 5; busy gets its 5 and no more.
    expect(countAllowed(() => quiet.tryConsume("place", T, "RESTORE"), 5)).toBe(5);
    expect(countAllowed(() => busy.tryConsume("place", T, "RESTORE"))).toBe(5);
  });

  it("counts what the exchange reports (other processes' orders) and frees a bot's portion when it leaves", () => {
    const budget = new AccountRequestBudget(createIpBudget());
    const [a, b] = [budget.forBot("a"), budget.forBot("b")];
    budget.learnUsage([{ rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, count: 38 }], T);
    // 2 of the shared 40 left, then a's portion of 5; b's 5 stay free.
    expect(countAllowed(() => a.tryConsume("place", T, "RESTORE"))).toBe(2 + 5);
    b.leave();
    expect(countAllowed(() => a.tryConsume("place", T, "RESTORE"))).toBe(5);
  });

  it("a bot restarted before its old run has left keeps its portion until both runs are gone", () => {
    const budget = new AccountRequestBudget(createIpBudget());
    const [oldRun, newRun, other] = [budget.forBot("a"), budget.forBot("a"), budget.forBot("b")];
    oldRun.leave();
    oldRun.leave();
    expect(countAllowed(() => other.tryConsume("place", T, "RESTORE"))).toBe(45);
    newRun.leave();
    expect(countAllowed(() => other.tryConsume("place", T, "RESTORE"))).toBe(5);
  });

  it("a lone bot, and requests without a bot, use the account's budget as before", () => {
    const budget = new AccountRequestBudget(createIpBudget());
    const alone = budget.forBot("alone");
    expect(countAllowed(() => alone.tryConsume("place", T, "REQUOTE"))).toBe(40);
    expect(countAllowed(() => budget.tryConsume("place", T, "RESTORE"))).toBe(10);
  });
});
