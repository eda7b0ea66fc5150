// The Worker's HTTP surface: Meta's webhook endpoint and a health check.

import { answerHandshake } from "./handshake.ts";
import { acceptWebhook } from "./webhook-handler.ts";

function methodNotAllowed(allow: string): Response {
  return new Response("method not allowed", { status: 405, headers: { allow } });
}

export async function routeRequest(request: Request, env: Env): Promise<Response> {
  const url = new URL(request.url);
  switch (url.pathname) {
    case "/webhooks/whatsapp":
      if (request.method === "GET") return answerHandshake(url.searchParams, env.META_VERIFY_TOKEN ?? "");
      if (request.method === "POST") return acceptWebhook(request, env);
      return methodNotAllowed("GET, POST");
    case "/healthz":
      if (request.method === "GET" || request.method === "HEAD") return new Response("ok");
      return methodNotAllowed("GET, HEAD");
    default:
      return new Response("not found", { status: 404 });
  }
}
