import type { KeyType } from "@bandkeeper/binance";
import { encryptSecret, fingerprint } from "@bandkeeper/db/crypto";
import type { Prisma } from "@bandkeeper/db/client";
import { recordAudit } from "../../audit";
import type { Database } from "../../db";
import type { VenueColumns } from "../../exchange";
import { fieldError } from "../../field-error";

export interface NewAccount {
  teamId: string;
  actorId: string;
  name: string;
  columns: VenueColumns;
  /** `secret`: the HMAC secret, or the Ed25519 private key as PKCS#8 PEM. */
  credentials: { apiKey: string; keyType: KeyType; secret: string };
  /** Extra audit fields (never a secret), e.g. a paper account's starting balances. */
  auditDetails?: Prisma.InputJsonObject;
}

export async function nameTaken(db: Database, teamId: string, name: string): Promise<boolean> {
  return (await db.exchangeAccount.count({ where: { teamId, name } })) > 0;
}

// Stores an account whose keys the venue has accepted: keys only encrypted (an Ed25519 private key like an HMAC
// secret), their type, a fingerprint to show, an audit entry.
export async function saveAccount(db: Database, key: Buffer, account: NewAccount) {
  const keyFingerprint = fingerprint(account.credentials.apiKey);
  return db.$transaction(async (tx) => {
    const row = await tx.exchangeAccount
      .create({
        data: {
          teamId: account.teamId,
          name: account.name,
          ...account.columns,
          apiKeyCiphertext: encryptSecret(account.credentials.apiKey, key),
          apiSecretCiphertext: encryptSecret(account.credentials.secret, key),
          keyType: account.credentials.keyType,
          keyFingerprint,
          createdById: account.actorId,
        },
        select: { id: true, name: true, keyFingerprint: true },
      })
      .catch((error: unknown) => {
        // The name was free a moment ago; someone else took it meanwhile.
        if ((error as { code?: unknown }).code === "P2002") {
          throw fieldError("name", "Another account of this team has this name.");
        }
        throw error;
      });
    await recordAudit(tx, {
      teamId: account.teamId,
      actorId: account.actorId,
      action: "account.create",
      entityType: "ExchangeAccount",
      entityId: row.id,
      payload: {
        name: account.name,
        venue: account.columns.venue,
        environment: account.columns.environment,
        keyType: account.credentials.keyType,
        keyFingerprint,
        ...account.auditDetails,
      },
    });
    return row;
  });
}
