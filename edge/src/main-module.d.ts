// Tells the Workers types what index.ts exports, so `exports.default` from "cloudflare:workers"
// (the loopback to this Worker that the specs call) is typed with our handlers.
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("./index.ts");
  }
}
