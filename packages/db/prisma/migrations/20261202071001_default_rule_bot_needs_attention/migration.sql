-- Teams created before BOT_NEEDS_ATTENTION existed get it as new teams do (core's DEFAULT_ALERT_RULES, written by
-- createDefaultAlertRules): open while a bot event that needs a human is at most 15 minutes old. A migration of
-- its own, since Postgres does not let the migration that adds an enum value use it.
INSERT INTO "AlertRule" ("id", "teamId", "name", "kind", "windowSeconds", "escalateAfterMinutes", "enabled", "createdAt", "updatedAt")
SELECT 'c' || replace(gen_random_uuid()::text, '-', ''), t."id", 'Bot needs a human', 'BOT_NEEDS_ATTENTION', 900, 15, true, now(), now()
FROM "Team" t
WHERE NOT EXISTS (SELECT 1 FROM "AlertRule" r WHERE r."teamId" = t."id" AND r."kind" = 'BOT_NEEDS_ATTENTION');
