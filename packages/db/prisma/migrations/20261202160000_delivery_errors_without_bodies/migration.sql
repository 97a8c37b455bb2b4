-- Issue 12: delivery errors used to keep up to 500 bytes of the receiver's answer ("HTTP 500: <body>"), a chat
-- bot's own error message, or the socket's error naming the address, and every member reads them. Rewritten to
-- what the sender records now: the status and a fixed reason.
UPDATE "DeliveryAttempt" SET "error" = regexp_replace("error", '^HTTP ([0-9]{3}).*$', 'the receiver answered HTTP \1', 's')
WHERE "error" ~ '^HTTP [0-9]{3}';
UPDATE "AlertDelivery" SET "lastError" = regexp_replace("lastError", '^HTTP ([0-9]{3}).*$', 'the receiver answered HTTP \1', 's')
WHERE "lastError" ~ '^HTTP [0-9]{3}';

UPDATE "DeliveryAttempt" SET "error" = split_part("error", ' ', 1) || ' refused the message (its reply had an error code)'
WHERE "error" ~ '^(wecom|feishu) refused the message: ';
UPDATE "AlertDelivery" SET "lastError" = split_part("lastError", ' ', 1) || ' refused the message (its reply had an error code)'
WHERE "lastError" ~ '^(wecom|feishu) refused the message: ';

UPDATE "DeliveryAttempt" SET "error" = 'could not reach the receiver' WHERE "error" LIKE 'fetch failed%';
UPDATE "AlertDelivery" SET "lastError" = 'could not reach the receiver' WHERE "lastError" LIKE 'fetch failed%';
