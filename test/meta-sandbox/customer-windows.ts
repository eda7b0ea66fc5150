// The 24-hour customer service window per (business number, customer): every inbound message opens
// or resets it; outside it only templates are delivered. A customer is known by phone (wa_id) and
// by business-scoped user id; inbound messages that carry both link them, so a send addressed
// either way finds the same window.
// https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-messages#customer-service-windows

export const customerWindowMs = 24 * 60 * 60 * 1_000;

export interface CustomerIds {
  waId?: string;
  userId?: string;
}

export interface WindowState {
  phoneNumberId: string;
  waId?: string;
  userId?: string;
  lastInboundAt: number;
  expiresAt: number;
}

export interface CustomerWindows {
  /** Records an inbound message at `at` (or a spec's "the customer last wrote at `at`"). */
  open(phoneNumberId: string, ids: CustomerIds, at: number): WindowState;
  isOpen(phoneNumberId: string, ids: CustomerIds, at: number): boolean;
  /** Completes a customer's ids from what inbound messages revealed. */
  link(ids: CustomerIds): CustomerIds;
}

export function createCustomerWindows(): CustomerWindows {
  const lastInbound = new Map<string, number>();
  const userIdByWaId = new Map<string, string>();
  const waIdByUserId = new Map<string, string>();
  const key = (phoneNumberId: string, id: string): string => `${phoneNumberId}|${id}`;

  function link({ waId, userId }: CustomerIds): CustomerIds {
    const resolvedUserId = userId ?? (waId === undefined ? undefined : userIdByWaId.get(waId));
    const resolvedWaId = waId ?? (userId === undefined ? undefined : waIdByUserId.get(userId));
    return {
      ...(resolvedWaId === undefined ? {} : { waId: resolvedWaId }),
      ...(resolvedUserId === undefined ? {} : { userId: resolvedUserId }),
    };
  }

  return {
    open(phoneNumberId, ids, at) {
      if (ids.waId !== undefined && ids.userId !== undefined) {
        userIdByWaId.set(ids.waId, ids.userId);
        waIdByUserId.set(ids.userId, ids.waId);
      }
      const linked = link(ids);
      // Set, not max: a spec may move a window into the past to close it.
      for (const id of [linked.waId, linked.userId]) if (id !== undefined) lastInbound.set(key(phoneNumberId, id), at);
      return { phoneNumberId, ...linked, lastInboundAt: at, expiresAt: at + customerWindowMs };
    },
    isOpen(phoneNumberId, ids, at) {
      const linked = link(ids);
      return [linked.waId, linked.userId].some((id) => {
        const last = id === undefined ? undefined : lastInbound.get(key(phoneNumberId, id));
        return last !== undefined && at - last < customerWindowMs;
      });
    },
    link,
  };
}
