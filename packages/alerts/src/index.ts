export { AlertEvaluator, type AlertEvaluatorOptions, type EvaluationSummary } from "./evaluator";
export { DeliveryWorker, DEFAULT_DELIVERY_TIMING, type AlertsLogger, type DeliveryTiming, type DeliveryWorkerOptions } from "./delivery-worker";
export { createEmailSender, sendWebhook, type EmailSender, type SendResult, type SmtpSettings } from "./senders";
export { generateWebhookSecret, signWebhook, verifyWebhook, IDEMPOTENCY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER } from "./signature";
