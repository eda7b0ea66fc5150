import { describe, expect, it } from "vitest";
import { decideOutcome } from "./decide-outcome.ts";
import { parseIngestAnswer } from "./ingest-request.ts";

const policy = { baseSeconds: 1, maxSeconds: 300 };
const batch = [
  { id: "m1", attempts: 1 },
  { id: "m2", attempts: 3 },
  { id: "m3", attempts: 12 },
];

/** The decision for an api answer given as the status and body text it came back with. */
function decide(status: number, text: string) {
  return decideOutcome(parseIngestAnswer(status, text), batch, policy);
}

describe("decideOutcome", () => {
  describe("a 200 answer with results", () => {
    it("acks every message the api committed", () => {
      const outcome = decide(
        200,
        `{"results":[{"id":"m1","status":"committed"},{"id":"m2","status":"committed"},` +
          `{"id":"m3","status":"committed"}]}`,
      );
      expect(outcome).toEqual({ ack: ["m1", "m2", "m3"], retry: [] });
    });

    it("retries failed messages with backoff from their attempt count", () => {
      const outcome = decide(
        200,
        `{"results":[{"id":"m1","status":"failed","error":"deadlock detected"},` +
          `{"id":"m2","status":"committed"},{"id":"m3","status":"failed","error":"x"}]}`,
      );
      expect(outcome).toEqual({
        ack: ["m2"],
        retry: [
          { id: "m1", delaySeconds: 1 },
          { id: "m3", delaySeconds: 300 },
        ],
      });
    });

    it("retries messages the results leave out", () => {
      const outcome = decide(200, `{"results":[{"id":"m2","status":"committed"}]}`);
      expect(outcome).toEqual({
        ack: ["m2"],
        retry: [
          { id: "m1", delaySeconds: 1 },
          { id: "m3", delaySeconds: 300 },
        ],
      });
    });

    it("retries a result with an unknown status or no id", () => {
      const outcome = decide(
        200,
        `{"results":[{"id":"m1","status":"ok"},{"status":"committed"},{"id":"m2","status":"committed"},` +
          `{"id":"m3","status":"COMMITTED"}]}`,
      );
      expect(outcome.ack).toEqual(["m2"]);
      expect(outcome.retry.map((r) => r.id)).toEqual(["m1", "m3"]);
    });

    it("retries an id reported both committed and failed", () => {
      const outcome = decide(
        200,
        `{"results":[{"id":"m1","status":"committed"},{"id":"m1","status":"failed"},` +
          `{"id":"m2","status":"committed"},{"id":"m3","status":"committed"}]}`,
      );
      expect(outcome.ack).toEqual(["m2", "m3"]);
      expect(outcome.retry).toEqual([{ id: "m1", delaySeconds: 1 }]);
    });

    it("ignores results for ids that are not in the batch", () => {
      const outcome = decide(
        200,
        `{"results":[{"id":"elsewhere","status":"committed"},{"id":"m1","status":"committed"}]}`,
      );
      expect(outcome.ack).toEqual(["m1"]);
      expect(outcome.retry.map((r) => r.id)).toEqual(["m2", "m3"]);
    });
  });

  describe("no usable answer", () => {
    const everyMessageRetried = {
      ack: [],
      retry: [
        { id: "m1", delaySeconds: 1 },
        { id: "m2", delaySeconds: 4 },
        { id: "m3", delaySeconds: 300 },
      ],
    };

    it.each([
      ["a 500", 500, `{"results":[{"id":"m1","status":"committed"}]}`],
      ["a 401 (bad ingest signature)", 401, `{"error":"invalid signature"}`],
      ["a 202", 202, `{"results":[{"id":"m1","status":"committed"}]}`],
      ["invalid JSON", 200, `{"results":[`],
      ["an HTML error page", 200, "<html>Bad Gateway</html>"],
      ["no results array", 200, `{"committed":["m1","m2","m3"]}`],
      ["null", 200, "null"],
    ])("retries everything after %s", (_case, status, text) => {
      expect(decide(status, text)).toEqual(everyMessageRetried);
    });

    it("retries everything after a network error or timeout", () => {
      const outcome = decideOutcome({ ok: false, reason: "TimeoutError: timed out" }, batch, policy);
      expect(outcome).toEqual(everyMessageRetried);
    });
  });
});
