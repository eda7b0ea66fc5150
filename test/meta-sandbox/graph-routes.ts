// The Graph API endpoints the platform calls, under any `/v<major>.<minor>/` prefix, plus the CDN
// path media downloads are served from. Each route parses, calls one endpoint function and writes
// its result: JSON on success, Meta's error envelope with a fresh fbtrace_id on failure.
import type { IncomingHttpHeaders } from 'node:http';
import { authenticate, authorizeBusiness, authorizePhoneNumber } from './graph-auth.ts';
import { unknownObject, type GraphFailure, type GraphResult } from './graph-errors.ts';
import { deleteMedia, downloadMedia, mediaInfo, uploadMedia, type MediaContext } from './media-endpoints.ts';
import { mediaDownloadPath, mediaLimits } from './media-store.ts';
import { sendMessage, type MessagesContext } from './messages-endpoint.ts';
import type { SignupCodes } from './oauth.ts';
import {
  listPhoneNumbers,
  listSubscribedApps,
  phoneNumberJson,
  registerPhoneNumber,
  subscribeApp,
  unsubscribeApp,
  type OnboardingContext,
} from './onboarding-endpoints.ts';
import type { Route, RouteResponse } from './router.ts';
import { createTemplate, listTemplates, type TemplateContext } from './template-endpoints.ts';

export type GraphContext = MessagesContext &
  MediaContext &
  TemplateContext &
  OnboardingContext & {
    signupCodes: SignupCodes;
    writeError: (failure: GraphFailure) => RouteResponse;
  };

const versioned = { version: /^v\d+\.\d+$/ };

/** Multipart overhead on top of Meta's largest media (documents, 100 MB). */
const maxUploadBytes = mediaLimits.document + 1024 * 1024;

/** What Meta's edge returns for a 5xx without reaching the Graph API. */
const errorPage = '<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Sorry, something went wrong.</h1><p>We\'re working on it.</p></body></html>';

/** Absolute URLs (media downloads, paging) point back at the host the caller used. */
function originOf(headers: IncomingHttpHeaders): string {
  const proto = String(headers['x-forwarded-proto'] ?? 'http').split(',')[0];
  return `${proto}://${headers.host ?? 'localhost'}`;
}

export function graphRoutes(context: GraphContext): Route[] {
  const reply = <T>(result: GraphResult<T>): RouteResponse => (result.ok ? { status: 200, json: result.value } : context.writeError(result.failure));

  return [
    {
      method: 'POST',
      path: '/:version/:phoneNumberId/messages',
      constraints: versioned,
      async handle({ params, headers, body, rawBody }) {
        const result = await sendMessage(context, { phoneNumberId: params.phoneNumberId as string, headers, body, rawBody });
        if ('bare' in result) {
          const html = result.bare.body === 'html';
          return { status: result.bare.httpStatus, text: html ? errorPage : '', headers: { 'content-type': html ? 'text/html; charset=utf-8' : 'text/plain' } };
        }
        return reply(result);
      },
    },
    {
      method: 'POST',
      path: '/:version/:phoneNumberId/media',
      constraints: versioned,
      maxBodyBytes: maxUploadBytes,
      async handle({ params, headers, rawBody }) {
        return reply(await uploadMedia(context, { phoneNumberId: params.phoneNumberId as string, headers, rawBody }));
      },
    },
    {
      method: 'GET',
      path: '/:version/:objectId',
      constraints: versioned,
      handle: ({ params, headers }) => reply(readObject(context, params.objectId as string, headers)),
    },
    {
      method: 'DELETE',
      path: '/:version/:objectId',
      constraints: versioned,
      handle({ params, headers }) {
        const media = context.media.get(params.objectId as string);
        if (!media) return reply(withToken(context, headers, () => ({ ok: false, failure: unknownObject('DELETE', params.objectId as string) })));
        return reply(deleteMedia(context, { media, headers }));
      },
    },
    {
      method: 'GET',
      path: '/:version/:wabaId/message_templates',
      constraints: versioned,
      handle: ({ params, headers, url }) => reply(listTemplates(context, { wabaId: params.wabaId as string, headers, url, origin: originOf(headers) })),
    },
    {
      method: 'POST',
      path: '/:version/:wabaId/message_templates',
      constraints: versioned,
      handle: ({ params, headers, body }) => reply(createTemplate(context, { wabaId: params.wabaId as string, headers, body })),
    },
    {
      method: 'GET',
      path: '/:version/:wabaId/subscribed_apps',
      constraints: versioned,
      handle: ({ params, headers }) => reply(listSubscribedApps(context, { headers }, params.wabaId as string)),
    },
    {
      method: 'POST',
      path: '/:version/:wabaId/subscribed_apps',
      constraints: versioned,
      handle: ({ params, headers }) => reply(subscribeApp(context, { headers }, params.wabaId as string)),
    },
    {
      method: 'DELETE',
      path: '/:version/:wabaId/subscribed_apps',
      constraints: versioned,
      handle: ({ params, headers }) => reply(unsubscribeApp(context, { headers }, params.wabaId as string)),
    },
    {
      method: 'GET',
      path: '/:version/:wabaId/phone_numbers',
      constraints: versioned,
      handle: ({ params, headers }) => reply(listPhoneNumbers(context, { headers }, params.wabaId as string)),
    },
    {
      method: 'POST',
      path: '/:version/:phoneNumberId/register',
      constraints: versioned,
      handle: ({ params, headers, body }) => reply(registerPhoneNumber(context, { headers, body }, params.phoneNumberId as string)),
    },
    {
      method: 'GET',
      path: '/:version/oauth/access_token',
      constraints: versioned,
      handle: ({ url }) => reply(context.signupCodes.exchange(url.searchParams, context.now())),
    },
    {
      method: 'GET',
      path: mediaDownloadPath,
      handle: ({ url, headers }) => downloadMedia(context, { url, headers }),
    },
  ];
}

function withToken<T>(context: GraphContext, headers: IncomingHttpHeaders, next: () => GraphResult<T>): GraphResult<T> {
  const token = authenticate(context.registry, headers, { now: context.now(), appId: context.appId });
  return token.ok ? next() : token;
}

/** GET /<id>: a media object, a phone number or a WABA, whichever the id names. */
function readObject(context: GraphContext, id: string, headers: IncomingHttpHeaders): GraphResult<unknown> {
  const media = context.media.get(id);
  if (media) return mediaInfo(context, { media, headers, origin: originOf(headers) });
  const token = authenticate(context.registry, headers, { now: context.now(), appId: context.appId });
  if (!token.ok) return token;
  if (context.registry.phoneNumber(id)) {
    const number = authorizePhoneNumber(context.registry, token.value, 'GET', id);
    return number.ok ? { ok: true, value: phoneNumberJson(number.value) } : number;
  }
  const business = authorizeBusiness(context.registry, token.value, 'GET', id);
  return business.ok ? { ok: true, value: { id: business.value.wabaId, name: business.value.name } } : business;
}
