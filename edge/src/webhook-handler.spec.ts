import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "./index.ts";
import { loadWebhookBody, type QueuedWebhook } from "./webhook-envelope.ts";
import { MAX_WEBHOOK_BYTES } from "./webhook-handler.ts";

const IncomingRequest = Request<unknown, IncomingRequestCfProperties>;
const URL = "https://edge.test/webhooks/whatsapp";
const encoder = new TextEncoder();

/** Meta's signature, computed here with WebCrypto directly rather than with the code under test. */
async function metaSignature(body: string | Uint8Array, secret = env.META_APP_SECRET): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const bytes = typeof body === "string" ? encoder.encode(body) : body;
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes));
  return `sha256=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** A text message notification shaped like Meta's; `marker` makes each body unique per test. */
function notification(marker: string, text = "Hi"): string {
  return (
    `{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":` +
    `{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881",` +
    `"phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Sheena Nelson"},` +
    `"wa_id":"16505551234"}],"messages":[{"from":"16505551234","id":"wamid.${marker}",` +
    `"timestamp":"1749416383","type":"text","text":{"body":"${text}"}}]},"field":"messages"}]}]}`
  );
}

async function post(
  body: BodyInit | null,
  headers: Record<string, string>,
  bindings: Env = env,
): Promise<Response> {
  const request = new IncomingRequest(URL, { method: "POST", headers, body });
  // The handler schedules no waitUntil work, so no ExecutionContext is needed.
  return worker.fetch(request, bindings);
}

async function postSigned(body: string): Promise<Response> {
  return post(body, {
    "content-type": "application/json",
    "x-hub-signature-256": await metaSignature(body),
  });
}

/**
 * Replaces the queue consumer for one spec and records what the real local queue delivers, so the
 * spec can read the message exactly as the consumer would. Recorded messages are acked.
 */
function recordDeliveries(): QueuedWebhook[] {
  const delivered: QueuedWebhook[] = [];
  vi.spyOn(worker, "queue").mockImplementation(async (batch) => {
    for (const message of batch.messages) delivered.push(message.body as QueuedWebhook);
    batch.ackAll();
  });
  return delivered;
}

async function deliveredBody(delivered: QueuedWebhook[], marker: string): Promise<string> {
  const found = await vi.waitUntil(
    async () => {
      for (const webhook of delivered) {
        const body = await loadWebhookBody(env.WEBHOOK_BODIES, webhook);
        if (body?.includes(`wamid.${marker}`)) return { webhook, body };
      }
      return undefined;
    },
    { timeout: 5_000, interval: 20 },
  );
  expect(Date.parse(found.webhook.receivedAt)).not.toBeNaN();
  return found.body;
}

function logsOf(spies: ReturnType<typeof vi.spyOn>[]): string {
  return JSON.stringify(spies.flatMap((spy) => spy.mock.calls));
}

function spyOnLogs() {
  return [vi.spyOn(console, "log"), vi.spyOn(console, "warn"), vi.spyOn(console, "error")];
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("POST /webhooks/whatsapp", () => {
  describe("a correctly signed notification", () => {
    it("answers 200 and the queue carries the exact raw body", async () => {
      const delivered = recordDeliveries();
      const body = notification("plain");
      const response = await postSigned(body);
      expect(response.status).toBe(200);
      expect(await deliveredBody(delivered, "plain")).toBe(body);
    });

    it("passes Meta-escaped Arabic, Hebrew, emoji and \\/ through byte-identical", async () => {
      const delivered = recordDeliveries();
      // As Meta sends it: non-ASCII as \uXXXX (emoji as a surrogate pair) and slashes as \/.
      const body = notification(
        "escaped",
        String.raw`\u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd \ud83d\ude2e https:\/\/wa.me\/1`,
      );
      // The re-serialised form differs, which is why only the raw bytes can be verified.
      expect(JSON.stringify(JSON.parse(body))).not.toBe(body);
      const response = await postSigned(body);
      expect(response.status).toBe(200);
      expect(await deliveredBody(delivered, "escaped")).toBe(body);
    });

    it("verifies and passes through a body with raw UTF-8 non-ASCII", async () => {
      const delivered = recordDeliveries();
      const body = notification("utf8", "مرحبا שלום 😮 Grüße");
      const response = await postSigned(body);
      expect(response.status).toBe(200);
      expect(await deliveredBody(delivered, "utf8")).toBe(body);
    });

    it("stores a body too large for one queue message in R2 and queues its key", async () => {
      const delivered = recordDeliveries();
      // Pad to exactly Meta's 3 MB maximum with JSON whitespace.
      const head = notification("large");
      const body = head.slice(0, -1) + " ".repeat(MAX_WEBHOOK_BYTES - head.length) + "}";
      expect(encoder.encode(body).byteLength).toBe(MAX_WEBHOOK_BYTES);
      const response = await postSigned(body);
      expect(response.status).toBe(200);
      expect(await deliveredBody(delivered, "large")).toBe(body);
      const stored = delivered.find((webhook) => "bodyKey" in webhook);
      expect(stored).toMatchObject({ bytes: MAX_WEBHOOK_BYTES });
    });
  });

  describe("signature", () => {
    it("answers 401 without X-Hub-Signature-256 and enqueues nothing", async () => {
      const send = vi.spyOn(env.WEBHOOKS, "send");
      const response = await post(notification("unsigned"), { "content-type": "application/json" });
      expect(response.status).toBe(401);
      expect(send).not.toHaveBeenCalled();
    });

    it("answers 401 for a signature made with another secret", async () => {
      const send = vi.spyOn(env.WEBHOOKS, "send");
      const body = notification("forged");
      const response = await post(body, {
        "x-hub-signature-256": await metaSignature(body, "someone-elses-secret"),
      });
      expect(response.status).toBe(401);
      expect(send).not.toHaveBeenCalled();
    });

    it("answers 401 for a signature over the re-serialised body", async () => {
      const send = vi.spyOn(env.WEBHOOKS, "send");
      const body = notification("reserialised", String.raw`\u05e9\u05dc\u05d5\u05dd`);
      const response = await post(body, {
        "x-hub-signature-256": await metaSignature(JSON.stringify(JSON.parse(body))),
      });
      expect(response.status).toBe(401);
      expect(send).not.toHaveBeenCalled();
    });

    it.each(["sha256=", "sha1=abc", "sha256=zz", "garbage"])(
      "answers 401 for a malformed header %j",
      async (header) => {
        const response = await post(notification("malformed"), { "x-hub-signature-256": header });
        expect(response.status).toBe(401);
      },
    );
  });

  describe("size", () => {
    it("answers 413 from Content-Length alone, before reading the body", async () => {
      const send = vi.spyOn(env.WEBHOOKS, "send");
      const body = notification("declared-large");
      const response = await post(body, {
        "content-length": String(MAX_WEBHOOK_BYTES + 1),
        "x-hub-signature-256": await metaSignature(body),
      });
      expect(response.status).toBe(413);
      expect(send).not.toHaveBeenCalled();
    });

    it("answers 413 when a streamed body without Content-Length passes 3 MB", async () => {
      const send = vi.spyOn(env.WEBHOOKS, "send");
      const chunk = encoder.encode(" ".repeat(64 * 1024));
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent > MAX_WEBHOOK_BYTES) return controller.close();
          sent += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });
      const response = await post(stream, { "x-hub-signature-256": await metaSignature("x") });
      expect(response.status).toBe(413);
      expect(send).not.toHaveBeenCalled();
    });
  });

  describe("content", () => {
    it.each([
      ["not JSON", "object=whatsapp_business_account"],
      ["another object", `{"object":"page","entry":[]}`],
      ["no entry array", `{"object":"whatsapp_business_account","entry":{}}`],
      ["a JSON array", `[{"object":"whatsapp_business_account","entry":[]}]`],
    ])("answers 400 for a signed body that is %s", async (_case, body) => {
      const send = vi.spyOn(env.WEBHOOKS, "send");
      expect((await postSigned(body)).status).toBe(400);
      expect(send).not.toHaveBeenCalled();
    });

    it("answers 400 for a signed body that is not valid UTF-8", async () => {
      const body = new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
      const response = await post(body, { "x-hub-signature-256": await metaSignature(body) });
      expect(response.status).toBe(400);
    });
  });

  describe("availability", () => {
    it("answers 503 (so Meta retries) when META_APP_SECRET is not configured", async () => {
      const body = notification("unconfigured");
      const response = await post(
        body,
        { "x-hub-signature-256": await metaSignature(body) },
        { ...env, META_APP_SECRET: "" },
      );
      expect(response.status).toBe(503);
    });
  });

  describe("queue failure", () => {
    it("answers 503 so Meta retries, and logs without the body", async () => {
      const logs = spyOnLogs();
      const failingQueue = {
        send: () => Promise.reject(new Error("Queue send failed: internal error")),
      } as unknown as Queue;
      const body = notification("queue-down", "my card is 4111");
      const response = await post(
        body,
        { "x-hub-signature-256": await metaSignature(body) },
        { ...env, WEBHOOKS: failingQueue },
      );
      expect(response.status).toBe(503);
      const logged = logsOf(logs);
      expect(logged).toContain("webhook.enqueue_failed");
      expect(logged).not.toContain("4111");
      expect(logged).not.toContain("16505551234");
    });

    it("removes the stored copy of a large body when the queue refuses it", async () => {
      const failingQueue = { send: () => Promise.reject(new Error("down")) } as unknown as Queue;
      // The real bucket, with the keys the handler wrote noted, so the test knows what to look for.
      const written: string[] = [];
      const bucket = env.WEBHOOK_BODIES;
      const recordingBucket = new Proxy(bucket, {
        get(target, property) {
          if (property === "put") {
            return (key: string, ...rest: unknown[]) => {
              written.push(key);
              return (target.put as (...args: unknown[]) => unknown)(key, ...rest);
            };
          }
          const value = Reflect.get(target, property);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      const head = notification("large-queue-down");
      const body = head.slice(0, -1) + " ".repeat(200_000) + "}";
      const response = await post(
        body,
        { "x-hub-signature-256": await metaSignature(body) },
        { ...env, WEBHOOKS: failingQueue, WEBHOOK_BODIES: recordingBucket },
      );
      expect(response.status).toBe(503);
      // The body was stored before the queue refused it, and that copy is gone.
      expect(written).toHaveLength(1);
      expect(await bucket.get(written[0]!)).toBeNull();
      const today = new Date().toISOString().slice(0, 10);
      const left = await bucket.list({ prefix: `webhooks/${today}/` });
      for (const object of left.objects) {
        const text = await (await bucket.get(object.key))?.text();
        expect(text).not.toContain("large-queue-down");
      }
    });
  });

  it("stays quiet on the accepted path, and never logs bodies or phone numbers", async () => {
    recordDeliveries();
    const logs = spyOnLogs();
    const small = await postSigned(notification("logs", "secret words"));
    expect(small.status).toBe(200);
    expect(logsOf(logs)).toBe("[]");
    const head = notification("logs-large", "secret words");
    const large = await postSigned(head.slice(0, -1) + " ".repeat(200_000) + "}");
    expect(large.status).toBe(200);
    const logged = logsOf(logs);
    expect(logged).toContain("webhook.enqueued");
    expect(logged).not.toContain("secret words");
    expect(logged).not.toContain("16505551234");
  });
});
