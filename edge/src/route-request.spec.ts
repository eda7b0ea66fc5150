import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const BASE = "https://edge.test";

function handshake(query: string): Promise<Response> {
  return exports.default.fetch(`${BASE}/webhooks/whatsapp?${query}`);
}

describe("edge HTTP surface", () => {
  describe("Meta subscription handshake", () => {
    it("answers 200 with the bare challenge when hub.* names carry our token", async () => {
      const response = await handshake(
        `hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${env.META_VERIFY_TOKEN}`,
      );
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      expect(await response.text()).toBe("1158201444");
    });

    it("accepts the hub_* spelling some proxies produce", async () => {
      const response = await handshake(
        `hub_mode=subscribe&hub_challenge=42&hub_verify_token=${env.META_VERIFY_TOKEN}`,
      );
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("42");
    });

    it("refuses a wrong token with 403 and does not echo the challenge", async () => {
      const response = await handshake(
        "hub.mode=subscribe&hub.challenge=42&hub.verify_token=not-our-token",
      );
      expect(response.status).toBe(403);
      expect(await response.text()).not.toContain("42");
    });

    it("refuses a mode other than subscribe with 403", async () => {
      const response = await handshake(
        `hub.mode=unsubscribe&hub.challenge=42&hub.verify_token=${env.META_VERIFY_TOKEN}`,
      );
      expect(response.status).toBe(403);
    });

    it.each([
      ["hub.challenge", `hub.mode=subscribe&hub.verify_token=${env.META_VERIFY_TOKEN}`],
      ["hub.verify_token", "hub.mode=subscribe&hub.challenge=42"],
      ["hub.mode", `hub.challenge=42&hub.verify_token=${env.META_VERIFY_TOKEN}`],
      ["every parameter", ""],
    ])("answers 400 when %s is missing", async (_missing, query) => {
      expect((await handshake(query)).status).toBe(400);
    });
  });

  describe("routing", () => {
    it("answers the health check with 200 ok", async () => {
      const response = await exports.default.fetch(`${BASE}/healthz`);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("ok");
    });

    it("answers 404 for any other path", async () => {
      expect((await exports.default.fetch(`${BASE}/webhooks/telegram`)).status).toBe(404);
      expect((await exports.default.fetch(`${BASE}/`)).status).toBe(404);
    });

    it("answers 405 with Allow for other methods on known paths", async () => {
      const webhook = await exports.default.fetch(`${BASE}/webhooks/whatsapp`, { method: "PUT" });
      expect(webhook.status).toBe(405);
      expect(webhook.headers.get("allow")).toBe("GET, POST");
      const health = await exports.default.fetch(`${BASE}/healthz`, { method: "POST" });
      expect(health.status).toBe(405);
    });
  });
});
