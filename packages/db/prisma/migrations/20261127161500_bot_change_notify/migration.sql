-- Engines LISTEN on "bandkeeper_bot_changes" and reload a bot when it is created, asked to change state, or given a
-- new config version. A trigger, so every writer notifies, and only when its transaction commits.
CREATE FUNCTION "bandkeeper_notify_bot_change"() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify(
    'bandkeeper_bot_changes',
    json_build_object('botId', NEW."id", 'exchangeAccountId', NEW."exchangeAccountId", 'operation', TG_OP)::text
  );
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Bot_notify_change"
  AFTER INSERT OR UPDATE OF "desiredState", "currentConfigVersionId" ON "Bot"
  FOR EACH ROW EXECUTE FUNCTION "bandkeeper_notify_bot_change"();
