import { defaultBotConfig, type BotConfig } from "../../src/config";
import { dec } from "../../src/money";
import type { ReferencePrice } from "../../src/pricing";

export function config(overrides: Partial<BotConfig> = {}): BotConfig {
  return { ...defaultBotConfig, ...overrides };
}

export function referenceAt(price: string, time = 0): ReferencePrice {
  return { ok: true, price: dec(price), method: "HYBRID", time };
}
