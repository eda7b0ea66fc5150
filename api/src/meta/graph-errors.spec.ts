import { describe, expect, it } from 'vitest';
import { classifyMetaErrorCode, classifySendFailure, GraphApiError, parseGraphErrorBody, type GraphApiErrorInit } from './graph-errors.ts';

// Bodies as Meta sends them (error-codes reference, send-messages and Graph error-handling pages).
const reEngagement = JSON.stringify({
  error: {
    message: '(#131047) Re-engagement message',
    type: 'OAuthException',
    code: 131047,
    error_data: {
      messaging_product: 'whatsapp',
      details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
    },
    fbtrace_id: 'AbCdEfGhIjKlMnOpQrStUvW',
  },
});
const throughput = JSON.stringify({
  error: {
    message: '(#130429) Rate limit hit',
    type: 'OAuthException',
    code: 130429,
    error_data: { messaging_product: 'whatsapp', details: 'Cloud API message throughput has been reached.' },
    error_subcode: 2494055,
    fbtrace_id: 'A2Pk3lWmKxNqHz0bTQ9uYjR',
  },
});
const expiredToken = JSON.stringify({
  error: {
    message: 'Error validating access token: Session has expired on Tuesday, 12-May-26 02:00:00 PDT. The current time is Tuesday, 12-May-26 03:10:12 PDT.',
    type: 'OAuthException',
    code: 190,
    error_subcode: 463,
    fbtrace_id: 'Ax1QhV7jN8e-oP2rS3tU4vW',
  },
});
const invalidParameter = JSON.stringify({
  error: {
    message: '(#100) Invalid parameter',
    type: 'OAuthException',
    code: 100,
    error_data: { messaging_product: 'whatsapp', details: "Param text['body'] must be at most 4096 characters long." },
    fbtrace_id: 'AvBq7W9sZx3nL0kPmQ1rT2u',
  },
});
const permissionDenied = JSON.stringify({
  error: { message: '(#200) Permissions error', type: 'OAuthException', code: 200, fbtrace_id: 'A9kLmN0pQ1rS2tU3vW4xY5z' },
});
const badGatewayHtml = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n';

function httpError(status: number, body: string, extra: Partial<GraphApiErrorInit> = {}): GraphApiError {
  const meta = parseGraphErrorBody(body);
  return new GraphApiError({ kind: 'http', method: 'POST', path: '/v24.0/106540352242922/messages', status, ...(meta ? { meta } : {}), ...extra });
}

function metaError(code: number, status = 400): GraphApiError {
  return httpError(status, JSON.stringify({ error: { message: `(#${code}) Error`, type: 'OAuthException', code, fbtrace_id: 'AzZ' } }));
}

describe('graph errors', () => {
  describe('parseGraphErrorBody', () => {
    it("reads every field of Meta's envelope", () => {
      expect(parseGraphErrorBody(throughput)).toEqual({
        message: '(#130429) Rate limit hit',
        type: 'OAuthException',
        code: 130429,
        error_data: { messaging_product: 'whatsapp', details: 'Cloud API message throughput has been reached.' },
        error_subcode: 2494055,
        fbtrace_id: 'A2Pk3lWmKxNqHz0bTQ9uYjR',
      });
    });

    it('reads the user-facing title, message and transient flag when Meta sends them', () => {
      const body = JSON.stringify({
        error: { message: 'Invalid parameter', type: 'OAuthException', code: 100, is_transient: false, error_user_title: 'Bad name', error_user_msg: 'Use lower case.', fbtrace_id: 'X' },
      });
      expect(parseGraphErrorBody(body)).toEqual({
        message: 'Invalid parameter',
        type: 'OAuthException',
        code: 100,
        is_transient: false,
        error_user_title: 'Bad name',
        error_user_msg: 'Use lower case.',
        fbtrace_id: 'X',
      });
    });

    it('accepts a code sent as a numeric string', () => {
      expect(parseGraphErrorBody('{"error":{"message":"m","code":"131026","error_subcode":"2494010"}}')).toEqual({
        message: 'm',
        code: 131026,
        error_subcode: 2494010,
      });
    });

    it('gives undefined for HTML, empty and non-envelope bodies', () => {
      expect(parseGraphErrorBody(badGatewayHtml)).toBeUndefined();
      expect(parseGraphErrorBody('')).toBeUndefined();
      expect(parseGraphErrorBody('{"message":"not an envelope"}')).toBeUndefined();
      expect(parseGraphErrorBody('{"error":"string"}')).toBeUndefined();
      expect(parseGraphErrorBody('null')).toBeUndefined();
    });
  });

  describe('GraphApiError', () => {
    it("names the call, status, code and Meta's words", () => {
      const error = httpError(400, reEngagement);
      expect(error.message).toBe(
        'Graph API POST /v24.0/106540352242922/messages failed with HTTP 400, code 131047: (#131047) Re-engagement message: ' +
          'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
      );
      expect([error.code, error.subcode, error.fbtraceId, error.status, error.kind]).toEqual([131047, undefined, 'AbCdEfGhIjKlMnOpQrStUvW', 400, 'http']);
    });

    it('includes the subcode', () => {
      expect(httpError(401, expiredToken).message).toMatch(/^Graph API POST \/v24\.0\/106540352242922\/messages failed with HTTP 401, code 190\/463: Error validating access token/);
    });

    it('says when there was no Graph error body', () => {
      const error = httpError(502, badGatewayHtml);
      expect(error.message).toBe('Graph API POST /v24.0/106540352242922/messages failed with HTTP 502 and no Graph error body');
      expect(error.meta).toBeUndefined();
    });

    it('describes network failures, timeouts and unreadable answers', () => {
      const at = { method: 'GET', path: '/v24.0/1037543291543636' };
      expect(new GraphApiError({ kind: 'network', ...at }).message).toBe('Graph API GET /v24.0/1037543291543636 could not reach Meta');
      expect(new GraphApiError({ kind: 'timeout', ...at }).message).toBe('Graph API GET /v24.0/1037543291543636 timed out');
      expect(new GraphApiError({ kind: 'malformed', status: 200, ...at }).message).toBe(
        'Graph API GET /v24.0/1037543291543636 answered HTTP 200 with a body we could not read',
      );
    });
  });

  describe('classifySendFailure', () => {
    describe('retry', () => {
      it('backs off on throughput limits', () => {
        expect(classifySendFailure(httpError(400, throughput))).toEqual({
          kind: 'retry',
          reason: 'This number is sending faster than Meta allows; the message will be retried shortly.',
        });
      });

      it('waits the 6-second pair rate for 131056', () => {
        expect(classifySendFailure(metaError(131056))).toEqual({
          kind: 'retry',
          reason: 'Too many messages went to this customer in a short time; the message will be retried in a few seconds.',
          retryAfterMs: 6000,
        });
      });

      it.each([4, 80007, 130429, 131048, 131056, 131000, 1, 2, 131016, 131057, 133004])('retries code %i', (code) => {
        expect(classifySendFailure(metaError(code)).kind).toBe('retry');
      });

      it('honours a longer Retry-After', () => {
        expect(classifySendFailure(httpError(429, throughput, { retryAfterMs: 30_000 }))).toEqual({
          kind: 'retry',
          reason: 'This number is sending faster than Meta allows; the message will be retried shortly.',
          retryAfterMs: 30_000,
        });
      });

      it('keeps its own wait when Retry-After is shorter', () => {
        expect(classifySendFailure(httpError(400, JSON.stringify({ error: { message: 'm', code: 131056 } }), { retryAfterMs: 1000 }))).toEqual({
          kind: 'retry',
          reason: 'Too many messages went to this customer in a short time; the message will be retried in a few seconds.',
          retryAfterMs: 6000,
        });
      });

      it('retries HTTP 5xx with an HTML or empty body', () => {
        const reason = 'Meta had a temporary problem; the message will be retried.';
        expect(classifySendFailure(httpError(502, badGatewayHtml))).toEqual({ kind: 'retry', reason });
        expect(classifySendFailure(httpError(500, ''))).toEqual({ kind: 'retry', reason });
        expect(classifySendFailure(httpError(503, '', { retryAfterMs: 5000 }))).toEqual({ kind: 'retry', reason, retryAfterMs: 5000 });
      });

      it('retries an unknown code Meta marks transient', () => {
        const body = JSON.stringify({ error: { message: 'Temporary', code: 987654, is_transient: true } });
        expect(classifySendFailure(httpError(400, body))).toEqual({ kind: 'retry', reason: 'Meta had a temporary problem; the message will be retried.' });
      });

      it('retries network failures, timeouts and unreadable answers', () => {
        const at = { method: 'POST', path: '/v24.0/106540352242922/messages' };
        expect(classifySendFailure(new GraphApiError({ kind: 'network', ...at }))).toEqual({ kind: 'retry', reason: 'Meta could not be reached; the message will be retried.' });
        expect(classifySendFailure(new GraphApiError({ kind: 'timeout', ...at }))).toEqual({ kind: 'retry', reason: 'Meta did not answer in time; the message will be retried.' });
        expect(classifySendFailure(new GraphApiError({ kind: 'malformed', status: 200, ...at }))).toEqual({
          kind: 'retry',
          reason: "Meta's answer could not be read; the message will be retried.",
        });
      });
    });

    describe('reauthorise', () => {
      const reason = "The WhatsApp connection's access token has expired or was revoked; an admin must reconnect the account.";

      it('asks for a reconnect on an expired token (190)', () => {
        expect(classifySendFailure(httpError(401, expiredToken))).toEqual({ kind: 'reauthorise', reason });
      });

      it('asks for a reconnect on a 401 without a Graph body', () => {
        expect(classifySendFailure(httpError(401, ''))).toEqual({ kind: 'reauthorise', reason });
      });
    });

    describe('terminal', () => {
      it('tells the agent to use a template when the 24-hour window has closed', () => {
        expect(classifySendFailure(httpError(400, reEngagement))).toEqual({
          kind: 'terminal',
          code: 131047,
          reason: 'More than 24 hours have passed since the customer last wrote; send an approved template instead.',
        });
      });

      it.each([131047, 131026, 131049, 131050, 131051, 131052, 131053, 132000, 132001, 132005, 132007, 132012, 132015, 132016, 133010, 131062, 100, 131009, 10])(
        'gives up on code %i with a sentence for the agent',
        (code) => {
          expect(classifySendFailure(metaError(code))).toEqual({ kind: 'terminal', code, reason: expect.stringMatching(/^[A-Z][^\n]{20,}\.$/) });
        },
      );

      it('treats the 200–299 range as a missing permission', () => {
        const reason = "The WhatsApp connection lacks a permission this needs; an admin must reconnect the account and grant WhatsApp messaging access.";
        expect(classifySendFailure(httpError(403, permissionDenied))).toEqual({ kind: 'terminal', code: 200, reason });
        expect(classifySendFailure(metaError(299, 403))).toEqual({ kind: 'terminal', code: 299, reason });
        expect(classifySendFailure(metaError(10, 403))).toEqual({ kind: 'terminal', code: 10, reason });
      });

      it("adds Meta's detail when it names the field at fault", () => {
        expect(classifySendFailure(httpError(400, invalidParameter))).toEqual({
          kind: 'terminal',
          code: 100,
          reason: "Meta rejected the message because a field is missing or invalid. Meta's detail: Param text['body'] must be at most 4096 characters long.",
        });
        const templateParams = JSON.stringify({
          error: {
            message: '(#132000) Number of parameters does not match the expected number of params',
            code: 132000,
            error_data: { messaging_product: 'whatsapp', details: 'body: number of localizable_params (1) does not match the expected number of params (2)' },
          },
        });
        expect(classifySendFailure(httpError(400, templateParams))).toEqual({
          kind: 'terminal',
          code: 132000,
          reason:
            "The template was sent with the wrong number of parameters. Meta's detail: body: number of localizable_params (1) does not match the expected number of params (2).",
        });
      });

      it("keeps Meta's detail out of reasons where it adds nothing for the agent", () => {
        expect(classifySendFailure(httpError(400, reEngagement)).reason).toBe(
          'More than 24 hours have passed since the customer last wrote; send an approved template instead.',
        );
      });

      it("passes on Meta's words for a code it does not know", () => {
        const body = JSON.stringify({ error: { message: '(#135000) Generic user error', code: 135000, error_data: { details: 'Message failed to send because of an unknown error with your request parameters.' } } });
        expect(classifySendFailure(httpError(400, body))).toEqual({
          kind: 'terminal',
          code: 135000,
          reason: 'Meta refused the message: Message failed to send because of an unknown error with your request parameters.',
        });
      });

      it('gives up on a 4xx without a Graph body', () => {
        expect(classifySendFailure(httpError(404, '<html>Not Found</html>'))).toEqual({ kind: 'terminal', code: undefined, reason: 'Meta refused the message (HTTP 404).' });
      });
    });
  });

  describe('classifyMetaErrorCode', () => {
    it('classifies the codes of failed status webhooks', () => {
      expect(classifyMetaErrorCode(131026)).toEqual({
        kind: 'terminal',
        code: 131026,
        reason: 'The message could not be delivered: the customer may not use WhatsApp, may have blocked this number, or may need to accept new terms.',
      });
      expect(classifyMetaErrorCode(131000)?.kind).toBe('retry');
    });

    it('gives undefined for a code it does not know', () => {
      expect(classifyMetaErrorCode(135000)).toBeUndefined();
      expect(classifyMetaErrorCode(300)).toBeUndefined();
    });
  });
});
