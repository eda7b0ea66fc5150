// The subset of Meta's webhook shapes we read. Everything is optional: Meta adds fields and omits others
// (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components), and nothing Meta sends
// may become an error on our side.
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface MetaError {
  code?: number;
  title?: string;
  message?: string;
  error_data?: { details?: string };
  href?: string;
}

export interface MetaContact {
  wa_id?: string;
  user_id?: string;
  parent_user_id?: string;
  profile?: { name?: string };
}

export interface MetaStatus {
  id?: string;
  status?: string;
  timestamp?: string;
  recipient_id?: string;
  recipient_user_id?: string;
  conversation?: JsonObject;
  pricing?: JsonObject;
  errors?: MetaError[];
  [key: string]: unknown;
}

export interface MetaMessage {
  id?: string;
  from?: string;
  from_user_id?: string;
  timestamp?: string;
  type?: string;
  context?: JsonObject;
  errors?: MetaError[];
  [key: string]: unknown;
}
