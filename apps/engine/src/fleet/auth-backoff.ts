// A bot whose account's keys are refused: retrying every few seconds cannot help until someone fixes them, so the
// bot waits twice as long after each refusal (capped), and the episode gets one event (which alert rules watch),
// not one per attempt. The bot's reason says when the next attempt is.
import type { Logger } from "../observability/log";
import type { EngineJournal } from "../persistence/journal";

export interface AuthBackoffOptions {
  journal: EngineJournal;
  logger: Logger;
  /** The wait after the first refusal; it doubles with each further one. */
  firstDelayMs: number;
  maxDelayMs: number;
  now: () => number;
}

/** One run of authentication failures of a bot's account, from the first failure to the first successful start. */
interface AuthFailureEpisode {
  since: number;
  attempts: number;
}

export class AuthBackoff {
  private readonly episodes = new Map<string, AuthFailureEpisode>();

  constructor(private readonly options: AuthBackoffOptions) {}

  /** Records a refusal (state, and the episode's event on its first attempt); returns when to try again (epoch ms). */
  failed(botId: string, failure: Error): number {
    const { journal, logger } = this.options;
    const now = this.options.now();
    const episode = this.episodes.get(botId) ?? { since: now, attempts: 0 };
    episode.attempts += 1;
    this.episodes.set(botId, episode);
    const delayMs = Math.min(this.options.maxDelayMs, this.options.firstDelayMs * 2 ** (episode.attempts - 1));
    const nextAt = new Date(now + delayMs);
    const reason = `account authentication failed: ${failure.message}`;
    journal.recordState({
      botId,
      actualState: "FAULTED",
      stateReason: `${reason} (attempt ${episode.attempts}; next at ${nextAt.toISOString().slice(11, 19)} UTC)`,
      at: new Date(now),
    });
    if (episode.attempts === 1) {
      journal.recordEvent({ botId, time: new Date(now), type: "account_auth_failed", toState: "FAULTED", reason });
      logger.error("account authentication failed; retrying with backoff", { bot: botId, error: failure, retryInMs: delayMs });
    } else {
      logger.warn("account authentication still failing", { bot: botId, error: failure, attempts: episode.attempts, retryInMs: delayMs });
    }
    return now + delayMs;
  }

  /** The bot started: an episode in progress ends with one event saying how long it lasted. */
  recovered(botId: string): void {
    const episode = this.episodes.get(botId);
    if (!episode) return;
    this.episodes.delete(botId);
    const now = this.options.now();
    const reason = `account authentication works again after ${episode.attempts} failed attempts over ${Math.round((now - episode.since) / 1000)} s`;
    this.options.journal.recordEvent({ botId, time: new Date(now), type: "account_auth_recovered", reason });
    this.options.logger.info("account authentication recovered", { bot: botId, attempts: episode.attempts });
  }
}
