-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "AlertNotice" ADD VALUE 'ESCALATION';
ALTER TYPE "AlertNotice" ADD VALUE 'TEST';

-- AlterTable
ALTER TABLE "AlertDelivery" ALTER COLUMN "eventId" DROP NOT NULL;

-- AlterTable
ALTER TABLE "AlertEvent" ADD COLUMN     "acknowledgedAt" TIMESTAMP(3),
ADD COLUMN     "acknowledgedById" TEXT,
ADD COLUMN     "escalatedAt" TIMESTAMP(3),
ADD COLUMN     "recoveringCount" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "AlertRule" ADD COLUMN     "escalateAfterMinutes" INTEGER;

-- CreateIndex
CREATE INDEX "AlertEvent_acknowledgedById_idx" ON "AlertEvent"("acknowledgedById");

-- AddForeignKey
ALTER TABLE "AlertEvent" ADD CONSTRAINT "AlertEvent_acknowledgedById_fkey" FOREIGN KEY ("acknowledgedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
