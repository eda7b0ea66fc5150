import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { buildIngestRequest, ingestUrl, parseIngestAnswer, postIngest } from "./ingest-request.ts";

const encoder = new TextEncoder();
const rawBody =
  String.raw`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":` +
  String.raw`{"messages":[{"text":{"body":"\u05e9\u05dc\u05d5\u05dd \ud83d\ude2e https:\/\/x"}}]}}]}]}`;
const events = [
  { id: "msg-1", body: rawBody, receivedAt: "2026-08-02T10:00:00.000Z", attempts: 2 },
  { id: "msg-2", body: "{\"object\":\"whatsapp_business_account\",\"entry\":[]}", receivedAt: "2026-08-02T10:00:01.000Z", attempts: 1 },
];

/** HMAC-SHA256 hex computed with WebCrypto directly, independent of the code under test. */
async function hmacHex(secret: string, message: string | Uint8Array): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, typeof message === "string" ? encoder.encode(message) : message));
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}

describe("ingest request", () => {
  describe("buildIngestRequest", () => {
    it("POSTs the events as JSON with the raw bodies unchanged", async () => {
      const request = await buildIngestRequest("http://api.test/ingest", "s3cret", events, 1_786_000_000);
      expect(request.method).toBe("POST");
      expect(request.url).toBe("http://api.test/ingest");
      expect(request.headers.get("content-type")).toBe("application/json");
      const sent = JSON.parse(await request.text());
      expect(sent).toEqual({ events });
      expect(sent.events[0].body).toBe(rawBody);
    });

    it("signs t=<unix seconds>,v1=<hex HMAC-SHA256 of '<t>.<body>'>,p1=<hex HMAC-SHA256 of '<t>.prefix.<first 64 KiB>'>", async () => {
      const request = await buildIngestRequest("http://api.test/ingest", "s3cret", events, 1_786_000_000.9);
      const header = request.headers.get("x-switchboard-signature") ?? "";
      const match = /^t=(\d+),v1=([0-9a-f]{64}),p1=([0-9a-f]{64})$/.exec(header);
      expect(match).not.toBeNull();
      const [, t, v1, p1] = match as RegExpExecArray;
      expect(t).toBe("1786000000");
      const body = await request.text();
      expect(v1).toBe(await hmacHex("s3cret", `${t}.${body}`));
      expect(v1).not.toBe(await hmacHex("another-secret", `${t}.${body}`));
      expect(p1).toBe(await hmacHex("s3cret", `${t}.prefix.${body}`));
    });

    it("signs only the first 64 KiB of the body's UTF-8 in p1", async () => {
      // 3-byte characters, so the prefix ends inside one: p1 is over bytes, not characters.
      const large = [{ ...events[0]!, body: "中".repeat(30_000) }];
      const request = await buildIngestRequest("http://api.test/ingest", "s3cret", large, 1_786_000_000);
      const p1 = /,p1=([0-9a-f]{64})$/.exec(request.headers.get("x-switchboard-signature") ?? "")?.[1];
      const bytes = new Uint8Array(await request.arrayBuffer());
      expect(bytes.length).toBeGreaterThan(64 * 1024);
      const label = new TextEncoder().encode("1786000000.prefix.");
      const signed = new Uint8Array(label.length + 64 * 1024);
      signed.set(label);
      signed.set(bytes.subarray(0, 64 * 1024), label.length);
      expect(p1).toBe(await hmacHex("s3cret", signed));
    });
  });

  describe("ingestUrl", () => {
    it("sends live webhooks to /ingest and dead letters to /ingest/dead-letters", () => {
      expect(ingestUrl("http://localhost:4000", "webhooks")).toBe("http://localhost:4000/ingest");
      expect(ingestUrl("https://api.example.com/v1/", "webhooks-dlq")).toBe(
        "https://api.example.com/v1/ingest/dead-letters",
      );
    });

    it("knows no other queue", () => {
      expect(ingestUrl("http://localhost:4000", "something-else")).toBeNull();
    });
  });

  describe("parseIngestAnswer", () => {
    it("keeps well-formed results, with their error text", () => {
      expect(
        parseIngestAnswer(200, `{"results":[{"id":"a","status":"failed","error":"boom"},{"id":1}]}`),
      ).toEqual({ ok: true, results: [{ id: "a", status: "failed", error: "boom" }] });
    });
  });

  describe("postIngest", () => {
    it("reports an unreachable api as a failed answer instead of throwing", async () => {
      const answer = await postIngest(`${env.API_URL}/ingest`, "s3cret", events);
      expect(answer.ok).toBe(false);
    });
  });
});
