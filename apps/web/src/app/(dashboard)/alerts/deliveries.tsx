"use client";

import { StateBadge } from "~/components/state-badge";
import type { StateTone } from "~/lib/bot-state";
import { formatDateTime } from "~/lib/format";
import type { AlertHistoryEvent } from "~/server/routers/alerts/history";

type Delivery = AlertHistoryEvent["deliveries"][number];

const STATUS_TONES: Record<Delivery["status"], StateTone> = { PENDING: "transition", SENDING: "transition", DELIVERED: "good", FAILED: "danger" };

export function DeliveryStatus({ delivery }: { delivery: Delivery }) {
  const failing = delivery.status === "PENDING" && delivery.attempts.some((a) => !a.success && a.finishedAt !== null);
  return <StateBadge state={failing ? "RETRYING" : delivery.status} tone={failing ? "warning" : STATUS_TONES[delivery.status]} />;
}

/** One delivery and each of its attempts, with the result of each. */
export function DeliveryAttempts({ delivery, showChannel = true }: { delivery: Delivery; showChannel?: boolean }) {
  return (
    <li className="space-y-1" data-testid="delivery">
      <div className="flex flex-wrap items-center gap-2">
        <DeliveryStatus delivery={delivery} />
        <span className="text-neutral-300">{delivery.notice.toLowerCase()}</span>
        {showChannel && (
          <span className="text-neutral-400">
            to {delivery.channel.name} <span className="text-neutral-600">({delivery.channel.type.toLowerCase()})</span>
          </span>
        )}
        {delivery.status === "PENDING" && delivery.attempts.length > 0 && (
          <span className="text-xs text-neutral-500">next try {formatDateTime(delivery.nextAttemptAt)}</span>
        )}
      </div>
      {delivery.attempts.length > 0 && (
        <ol className="ml-4 space-y-0.5 text-xs text-neutral-500">
          {delivery.attempts.map((attempt) => (
            <li key={attempt.attempt} data-testid="attempt">
              #{attempt.attempt} {formatDateTime(attempt.startedAt)}:{" "}
              {attempt.finishedAt === null ? (
                <span className="text-sky-300">sending…</span>
              ) : attempt.success ? (
                <span className="text-emerald-300">delivered{attempt.statusCode === null ? "" : ` (${attempt.statusCode})`}</span>
              ) : (
                <span className="text-red-300">
                  failed{attempt.statusCode === null ? "" : ` (${attempt.statusCode})`}: {attempt.error}
                </span>
              )}
            </li>
          ))}
        </ol>
      )}
    </li>
  );
}
