// The HTTP call to the api's ingest endpoints, kept thin: build a signed request, send it with a
// timeout, and turn whatever comes back into an IngestAnswer. Deciding what to ack is elsewhere
// (decide-outcome.ts), so it can be tested against literal api answers.

import { INGEST_SIGNATURE_HEADER, signIngest } from "./sign-ingest.ts";

export type IngestEvent = { id: string; body: string; receivedAt: string; attempts: number };
export type IngestResult = { id: string; status: "committed" | "failed"; error?: string };
export type IngestAnswer = { ok: true; results: IngestResult[] } | { ok: false; reason: string };

/** Long enough for a batch commit under load, short enough to retry well within the 15 min limit. */
export const INGEST_TIMEOUT_MS = 15_000;

/** Where each queue's messages go: live webhooks to /ingest, dead letters to be stored for review. */
export function ingestUrl(apiUrl: string, queue: string): string | null {
  const base = apiUrl.replace(/\/+$/, "");
  if (queue === "webhooks") return `${base}/ingest`;
  if (queue === "webhooks-dlq") return `${base}/ingest/dead-letters`;
  return null;
}

export async function buildIngestRequest(
  url: string,
  secret: string,
  events: readonly IngestEvent[],
  unixSeconds: number,
): Promise<Request> {
  const body = JSON.stringify({ events });
  return new Request(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      [INGEST_SIGNATURE_HEADER]: await signIngest(secret, body, unixSeconds),
    },
    body,
  });
}

function isIngestResult(value: unknown): value is IngestResult {
  if (typeof value !== "object" || value === null) return false;
  const fields = value as Record<string, unknown>;
  return typeof fields.id === "string" && (fields.status === "committed" || fields.status === "failed");
}

/** Only a 200 with `{"results": [...]}` counts as an answer; entries of another shape are ignored. */
export function parseIngestAnswer(status: number, text: string): IngestAnswer {
  if (status !== 200) return { ok: false, reason: `status ${status}` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: "invalid json" };
  }
  const results = (parsed as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) return { ok: false, reason: "no results array" };
  return { ok: true, results: results.filter(isIngestResult) };
}

export async function postIngest(
  url: string,
  secret: string,
  events: readonly IngestEvent[],
): Promise<IngestAnswer> {
  try {
    const request = await buildIngestRequest(url, secret, events, Date.now() / 1000);
    const response = await fetch(request, { signal: AbortSignal.timeout(INGEST_TIMEOUT_MS) });
    return parseIngestAnswer(response.status, await response.text());
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? `${error.name}: ${error.message}` : "fetch failed" };
  }
}
