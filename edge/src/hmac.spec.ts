import { describe, expect, it } from "vitest";
import { hexToBytes, signHex, timingSafeEqualText, verifyHex } from "./hmac.ts";

// RFC 4231 test case 2.
const KEY = "Jefe";
const DATA = "what do ya want for nothing?";
const MAC = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

describe("hmac", () => {
  describe("signHex", () => {
    it("produces the RFC 4231 HMAC-SHA256 in lowercase hex", async () => {
      expect(await signHex(KEY, DATA)).toBe(MAC);
    });

    it("hashes strings as UTF-8, the same as their encoded bytes", async () => {
      const text = "שלום 😮";
      expect(await signHex(KEY, text)).toBe(await signHex(KEY, new TextEncoder().encode(text)));
    });
  });

  describe("verifyHex", () => {
    it("accepts the right MAC in either case", async () => {
      expect(await verifyHex(KEY, DATA, MAC)).toBe(true);
      expect(await verifyHex(KEY, DATA, MAC.toUpperCase())).toBe(true);
    });

    it("rejects a MAC with one flipped digit, a truncated MAC and non-hex", async () => {
      expect(await verifyHex(KEY, DATA, `${MAC.slice(0, -1)}4`)).toBe(false);
      expect(await verifyHex(KEY, DATA, MAC.slice(0, 62))).toBe(false);
      expect(await verifyHex(KEY, DATA, "zz".repeat(32))).toBe(false);
    });
  });

  describe("timingSafeEqualText", () => {
    it("is true only for identical strings, whatever their lengths", async () => {
      expect(await timingSafeEqualText("token", "token")).toBe(true);
      expect(await timingSafeEqualText("token", "token2")).toBe(false);
      expect(await timingSafeEqualText("", "token")).toBe(false);
    });
  });

  describe("hexToBytes", () => {
    it("rejects odd lengths and non-hex characters", () => {
      expect(hexToBytes("abc")).toBeNull();
      expect(hexToBytes("0g")).toBeNull();
      expect(hexToBytes("00ff")).toEqual(new Uint8Array([0, 255]));
    });
  });
});
