-- A team's default alert channel: new rules without channels of their own use it, and a team's first channel
-- becomes it (and is added to the rules that had none, the default rules among them).
ALTER TABLE "AlertChannel" ADD COLUMN "isDefault" BOOLEAN NOT NULL DEFAULT false;

-- At most one default per team. Prisma does not model partial indexes, and its schema engine leaves hand-made ones
-- alone.
CREATE UNIQUE INDEX "AlertChannel_one_default_per_team" ON "AlertChannel"("teamId") WHERE "isDefault";

-- Teams that already have channels: their oldest one becomes the default.
UPDATE "AlertChannel" AS c SET "isDefault" = true
WHERE c.id = (SELECT o.id FROM "AlertChannel" AS o WHERE o."teamId" = c."teamId" ORDER BY o."createdAt", o.id LIMIT 1);
