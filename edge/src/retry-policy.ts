// Exponential backoff for messages the api did not commit: min(max, base * 2^(attempts - 1))
// seconds, where attempts is 1 on the first delivery. Cloudflare counts the retries and moves a
// message to the dead-letter queue after the consumer's max_retries.
// https://developers.cloudflare.com/queues/configuration/batching-retries/#delay-messages

export type RetryPolicy = { baseSeconds: number; maxSeconds: number };

/** Queues accept delays up to 24 hours, in whole seconds. */
const MAX_QUEUE_DELAY_SECONDS = 24 * 60 * 60;

function seconds(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === "") return fallback;
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : fallback;
}

type RetryVars = Pick<
  Env,
  "RETRY_BASE_DELAY_SECONDS" | "RETRY_MAX_DELAY_SECONDS" | "DLQ_RETRY_MAX_DELAY_SECONDS"
>;

/** The dead-letter consumer keeps the same curve with a longer ceiling (see wrangler.toml). */
export function readRetryPolicy(vars: Partial<RetryVars>, deadLetters: boolean): RetryPolicy {
  const baseSeconds = seconds(vars.RETRY_BASE_DELAY_SECONDS, 1);
  const maxSeconds = deadLetters
    ? seconds(vars.DLQ_RETRY_MAX_DELAY_SECONDS, 3600)
    : seconds(vars.RETRY_MAX_DELAY_SECONDS, 300);
  return { baseSeconds, maxSeconds };
}

export function backoffSeconds(attempts: number, policy: RetryPolicy): number {
  const exponent = Math.max(0, Math.floor(attempts) - 1);
  const delay = Math.min(policy.maxSeconds, policy.baseSeconds * 2 ** exponent);
  return Math.min(MAX_QUEUE_DELAY_SECONDS, Math.ceil(delay));
}
