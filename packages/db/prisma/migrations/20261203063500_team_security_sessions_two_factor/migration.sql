-- Issue 12, part B: four-eyes rules per team (cooling-off after joining by invitation, risky changes), sessions
-- that can be ended, two-factor sign-in with recovery codes, password throttling shared by every dashboard process,
-- and TEAM notices (new members, role changes) for the team's alert channels.

-- AlterEnum
ALTER TYPE "AlertNotice" ADD VALUE 'TEAM';

-- AlterTable
ALTER TABLE "AlertDelivery" ADD COLUMN     "message" TEXT;

-- AlterTable
ALTER TABLE "ChangeRequest" ADD COLUMN     "firstApprovedAt" TIMESTAMP(3),
ADD COLUMN     "firstApproverId" TEXT;

-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "invitationId" TEXT;

-- AlterTable
ALTER TABLE "Team" ADD COLUMN     "approvalCoolingOffHours" INTEGER NOT NULL DEFAULT 24,
ADD COLUMN     "requireTwoFactor" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "riskyMaxSpread" DECIMAL(36,18),
ADD COLUMN     "riskyMinNotional" DECIMAL(36,18),
ADD COLUMN     "riskyOrdersPerSide" INTEGER;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "sessionVersion" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "totpEnabledAt" TIMESTAMP(3),
ADD COLUMN     "totpLastTimeStep" INTEGER,
ADD COLUMN     "totpSecretCiphertext" TEXT;

-- CreateTable
CREATE TABLE "UserSession" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "sessionVersion" INTEGER NOT NULL,
    "userAgent" TEXT,
    "ip" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "UserSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RecoveryCode" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RecoveryCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuthThrottle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "firstFailureAt" TIMESTAMP(3) NOT NULL,
    "lastFailureAt" TIMESTAMP(3) NOT NULL,
    "lockedUntil" TIMESTAMP(3),

    CONSTRAINT "AuthThrottle_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "UserSession_userId_idx" ON "UserSession"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "RecoveryCode_userId_codeHash_key" ON "RecoveryCode"("userId", "codeHash");

-- CreateIndex
CREATE INDEX "ChangeRequest_firstApproverId_idx" ON "ChangeRequest"("firstApproverId");

-- CreateIndex
CREATE UNIQUE INDEX "Membership_invitationId_key" ON "Membership"("invitationId");

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_invitationId_fkey" FOREIGN KEY ("invitationId") REFERENCES "Invitation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UserSession" ADD CONSTRAINT "UserSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecoveryCode" ADD CONSTRAINT "RecoveryCode_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChangeRequest" ADD CONSTRAINT "ChangeRequest_firstApproverId_fkey" FOREIGN KEY ("firstApproverId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Members who joined by invitation before this migration: the invitation they accepted (same team and email).
UPDATE "Membership" m SET "invitationId" = i."id"
FROM "Invitation" i, "User" u
WHERE m."userId" = u."id" AND i."teamId" = m."teamId" AND i."email" = u."email" AND i."acceptedAt" IS NOT NULL
  AND m."invitationId" IS NULL
  AND i."id" = (SELECT i2."id" FROM "Invitation" i2 WHERE i2."teamId" = m."teamId" AND i2."email" = u."email" AND i2."acceptedAt" IS NOT NULL ORDER BY i2."acceptedAt" DESC LIMIT 1);
