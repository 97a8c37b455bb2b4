-- At most one pending change request per bot, and per account and symbol for a new bot: the web app checks this
-- under a row lock to answer with a message; these indexes hold the rule for every writer. Prisma does not model
-- partial indexes, and its schema engine leaves hand-made ones alone.
CREATE UNIQUE INDEX "ChangeRequest_one_pending_per_bot" ON "ChangeRequest"("botId") WHERE "status" = 'PENDING';

CREATE UNIQUE INDEX "ChangeRequest_one_pending_new_bot" ON "ChangeRequest"("exchangeAccountId", "symbol")
  WHERE "status" = 'PENDING' AND "kind" = 'CREATE_BOT';
