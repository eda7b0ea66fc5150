import { describe, expect, it } from "vitest";
import { backoffSeconds, readRetryPolicy } from "./retry-policy.ts";

describe("retry policy", () => {
  describe("backoffSeconds", () => {
    it("doubles from the base with each attempt and stops at the ceiling", () => {
      const policy = { baseSeconds: 1, maxSeconds: 300 };
      const delays = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((n) => backoffSeconds(n, policy));
      expect(delays).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);
    });

    it("retries immediately when the base is 0", () => {
      expect(backoffSeconds(7, { baseSeconds: 0, maxSeconds: 300 })).toBe(0);
    });

    it("rounds fractional delays up to whole seconds and never passes the 24 h queue limit", () => {
      expect(backoffSeconds(1, { baseSeconds: 0.5, maxSeconds: 300 })).toBe(1);
      expect(backoffSeconds(100, { baseSeconds: 1, maxSeconds: 1e9 })).toBe(86_400);
    });
  });

  describe("readRetryPolicy", () => {
    it("reads the vars, with the longer ceiling for dead letters", () => {
      const vars = {
        RETRY_BASE_DELAY_SECONDS: "2",
        RETRY_MAX_DELAY_SECONDS: "60",
        DLQ_RETRY_MAX_DELAY_SECONDS: "900",
      };
      expect(readRetryPolicy(vars, false)).toEqual({ baseSeconds: 2, maxSeconds: 60 });
      expect(readRetryPolicy(vars, true)).toEqual({ baseSeconds: 2, maxSeconds: 900 });
    });

    it("falls back to 1 s, 300 s and 3600 s when vars are missing or invalid", () => {
      expect(readRetryPolicy({}, false)).toEqual({ baseSeconds: 1, maxSeconds: 300 });
      expect(readRetryPolicy({ RETRY_BASE_DELAY_SECONDS: "-1", RETRY_MAX_DELAY_SECONDS: "soon" }, false))
        .toEqual({ baseSeconds: 1, maxSeconds: 300 });
      expect(readRetryPolicy({}, true)).toEqual({ baseSeconds: 1, maxSeconds: 3600 });
    });

    it("accepts a base of 0", () => {
      expect(readRetryPolicy({ RETRY_BASE_DELAY_SECONDS: "0" }, false).baseSeconds).toBe(0);
    });
  });
});
