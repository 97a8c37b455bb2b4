// A second team with its own owner, exchange account and bot: what the team under test must never see or reach.
import type { TestDatabase } from "@bandkeeper/db/testing";
import type { BOT_DESIRED_STATES } from "../../src/lib/bot-state";
import type { SessionUser } from "../../src/server/trpc";

export interface OtherTeam {
  teamId: string;
  owner: SessionUser;
  accountId: string;
  botId: string;
}

export async function createOtherTeam(
  prisma: TestDatabase["prisma"],
  bot: { symbol?: string; desiredState?: (typeof BOT_DESIRED_STATES)[number] } = {},
): Promise<OtherTeam> {
  const team = await prisma.team.create({ data: { name: "Other Desk", slug: "other-desk" } });
  // Called as a session user directly, never signed in, so no password is needed.
  const user = await prisma.user.create({ data: { email: "owner@other.example", name: "Sam Other", passwordHash: "unused" } });
  await prisma.membership.create({ data: { userId: user.id, teamId: team.id, role: "OWNER" } });
  const account = await prisma.exchangeAccount.create({
    data: {
      teamId: team.id,
      name: "Other account",
      venue: "SIMULATOR",
      environment: "SIMULATOR",
      apiKeyCiphertext: "unused",
      apiSecretCiphertext: "unused",
      keyFingerprint: "unused",
    },
  });
  const { id: botId } = await prisma.bot.create({
    data: { teamId: team.id, exchangeAccountId: account.id, symbol: bot.symbol ?? "SOLUSDT", desiredState: bot.desiredState },
  });
  return { teamId: team.id, owner: { id: user.id, email: user.email, name: user.name, teamId: team.id }, accountId: account.id, botId };
}
