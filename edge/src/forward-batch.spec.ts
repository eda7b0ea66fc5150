import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  type MessageBatchMessage,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { chunkBySize } from "./forward-batch.ts";
import worker from "./index.ts";
import type { QueuedWebhook } from "./webhook-envelope.ts";

// The specs' API_URL points at a closed port (vitest.config.ts), so every ingest call here fails
// the way a down api does. What the consumer does with real api answers is covered by
// decide-outcome.spec.ts; the journeys against the running api live in test/.

const body = `{"object":"whatsapp_business_account","entry":[]}`;

function message(id: string, attempts: number, webhook: unknown): MessageBatchMessage {
  return { id, timestamp: new Date(), attempts, body: webhook };
}

/**
 * Runs the consumer on a batch and reports what it did to each message. The batch comes from the
 * plugin's createMessageBatch; its getQueueResult does not keep retry delays, so retry() is spied on.
 */
async function consume(queue: string, messages: MessageBatchMessage[], bindings: Env = env) {
  const batch = createMessageBatch(queue, messages);
  const retrySpies = batch.messages.map((m) => vi.spyOn(m, "retry"));
  await worker.queue(batch, bindings);
  const result = await getQueueResult(batch, createExecutionContext());
  const retried = batch.messages.flatMap((m, i) =>
    (retrySpies[i]?.mock.calls ?? []).map(([options]) => ({ id: m.id, delaySeconds: options?.delaySeconds })),
  );
  expect(result.retryMessages.map((r) => r.msgId)).toEqual(retried.map((r) => r.id));
  return { acked: result.explicitAcks, retried };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("queue consumer", () => {
  describe("when the api cannot be reached", () => {
    it("retries every message of a webhooks batch with backoff from its attempts", async () => {
      const webhook: QueuedWebhook = { body, receivedAt: "2026-08-02T10:00:00.000Z" };
      const result = await consume("webhooks", [
        message("a", 1, webhook),
        message("b", 4, webhook),
        message("c", 11, webhook),
      ]);
      expect(result.acked).toEqual([]);
      expect(result.retried).toEqual([
        { id: "a", delaySeconds: 1 },
        { id: "b", delaySeconds: 8 },
        { id: "c", delaySeconds: 300 },
      ]);
    });

    it("retries dead letters with the longer dead-letter ceiling", async () => {
      const webhook: QueuedWebhook = { body, receivedAt: "2026-08-02T10:00:00.000Z" };
      const result = await consume("webhooks-dlq", [message("d", 30, webhook)]);
      expect(result.acked).toEqual([]);
      expect(result.retried).toEqual([{ id: "d", delaySeconds: 3600 }]);
    });

    it("logs the failure without bodies", async () => {
      const logs = vi.spyOn(console, "log");
      const secret = `{"object":"whatsapp_business_account","entry":[],"note":"16505551234"}`;
      await consume("webhooks", [message("e", 1, { body: secret, receivedAt: "2026-08-02T10:00:00.000Z" })]);
      const logged = JSON.stringify(logs.mock.calls);
      expect(logged).toContain("ingest.forwarded");
      expect(logged).not.toContain("16505551234");
    });
  });

  describe("messages it cannot send", () => {
    it("retries a message whose body is not a queued webhook, so it reaches the DLQ", async () => {
      const result = await consume("webhooks", [message("f", 2, { unexpected: true })]);
      expect(result.acked).toEqual([]);
      expect(result.retried).toEqual([{ id: "f", delaySeconds: 2 }]);
    });

    it("acks a stored body that is gone, since it is deleted only after the api committed it", async () => {
      const gone: QueuedWebhook = { bodyKey: "webhooks/2026-08-02/gone", bytes: 200_000, receivedAt: "2026-08-02T10:00:00.000Z" };
      const result = await consume("webhooks", [message("g", 1, gone)]);
      expect(result.acked).toEqual(["g"]);
      expect(result.retried).toEqual([]);
    });

    it("retries everything, without calling the api, when INGEST_SECRET is missing", async () => {
      const fetchSpy = vi.spyOn(globalThis, "fetch");
      const webhook: QueuedWebhook = { body, receivedAt: "2026-08-02T10:00:00.000Z" };
      const result = await consume("webhooks", [message("h", 1, webhook)], { ...env, INGEST_SECRET: "" });
      expect(fetchSpy).not.toHaveBeenCalled();
      expect(result.retried).toEqual([{ id: "h", delaySeconds: 1 }]);
    });

    it("retries a batch from a queue it does not know", async () => {
      const webhook: QueuedWebhook = { body, receivedAt: "2026-08-02T10:00:00.000Z" };
      const result = await consume("webhooks-other", [message("i", 1, webhook)]);
      expect(result.acked).toEqual([]);
      expect(result.retried).toEqual([{ id: "i", delaySeconds: 1 }]);
    });
  });

  describe("chunkBySize", () => {
    it("keeps order and starts a new chunk before the limit would be passed", () => {
      expect(chunkBySize([3, 3, 3, 5, 1], (n) => n, 6)).toEqual([[3, 3], [3], [5, 1]]);
    });

    it("sends an item larger than the limit on its own", () => {
      expect(chunkBySize([1, 10, 1], (n) => n, 6)).toEqual([[1], [10], [1]]);
    });
  });
});
