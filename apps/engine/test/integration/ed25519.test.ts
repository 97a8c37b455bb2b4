// Issue 13: a database account with an Ed25519 key, stored as the dashboard stores it (the private key's PEM
// encrypted, keyType ED25519). The simulator knows only the public key, so the bot quotes only if the engine signs
// every request (WebSocket API orders, REST reconciliation, the user-data subscription) with the private key.
import { generateKeyPairSync } from "node:crypto";
import { encryptSecret, fingerprint } from "@bandkeeper/db/crypto";
import { describe, expect, it } from "vitest";
import { inProcessEngine, startWorld, until } from "./harness";

describe("an Ed25519 account from the database", () => {
  it("is decrypted with its key type and signs with Ed25519: the bot quotes two-sided", async () => {
    const world = await startWorld("bk_engine_ed25519", { runningSymbols: ["BTCUSDT"] });
    const engine = inProcessEngine(world, { leaseTickMs: 100 });
    try {
      const { privateKey, publicKey } = generateKeyPairSync("ed25519");
      const apiKey = "bk-ed25519-key";
      const { accountId } = world.sim.addAccount({
        apiKey,
        ed25519PublicKey: publicKey.export({ format: "pem", type: "spki" }).toString(),
        balances: { USDT: "5000000", BTC: "50" },
      });
      await world.db.prisma.exchangeAccount.updateMany({
        data: {
          keyType: "ED25519",
          apiKeyCiphertext: encryptSecret(apiKey, world.encryptionKey),
          apiSecretCiphertext: encryptSecret(privateKey.export({ format: "pem", type: "pkcs8" }).toString(), world.encryptionKey),
          keyFingerprint: fingerprint(apiKey),
        },
      });
      await engine.start();
      const open = await until(
        () => {
          const orders = world.sim.exchange.openOrders(accountId, "BTCUSDT");
          return orders.some((o) => o.side === "BUY") && orders.some((o) => o.side === "SELL") ? orders : undefined;
        },
        30_000,
        "BTCUSDT two-sided on the Ed25519 account",
      );
      expect(open.length).toBeGreaterThanOrEqual(2);
      // Nothing went to the HMAC account the seed made.
      expect(world.sim.exchange.openOrders(world.accountId, "BTCUSDT")).toEqual([]);
    } finally {
      await engine.stop();
      await world.close();
    }
  }, 60_000);
});
