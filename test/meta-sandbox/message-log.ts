// What the sandbox was asked to send: every accepted send with the exact request body, the token
// and the wamid it got, and every refused attempt with its error code. Specs and the benchmark read
// it to assert what our job worker really sent, not what it believes it sent.

export interface AcceptedSend {
  phoneNumberId: string;
  wamid: string;
  accessToken: string;
  /** The request body as parsed JSON, and as the exact text received. */
  body: unknown;
  rawBody: string;
  /** Unix milliseconds (the sandbox clock). */
  acceptedAt: number;
}

export interface RejectedSend {
  phoneNumberId: string;
  accessToken?: string;
  body: unknown;
  rawBody: string;
  rejectedAt: number;
  httpStatus: number;
  /** Meta error code; absent for a bare 5xx. */
  errorCode?: number;
}

export interface MessageLogQuery {
  phoneNumberId?: string;
  /** Unix milliseconds; entries at or after it. */
  since?: number;
}

export interface MessageLog {
  accept(entry: AcceptedSend): void;
  reject(entry: RejectedSend): void;
  query(query?: MessageLogQuery): { accepted: AcceptedSend[]; rejected: RejectedSend[] };
  clear(): void;
}

/** The log keeps the newest `limit` entries of each list, so a long benchmark cannot exhaust memory. */
export function createMessageLog({ limit = 250_000 } = {}): MessageLog {
  let accepted: AcceptedSend[] = [];
  let rejected: RejectedSend[] = [];
  const trim = <T>(list: T[]): T[] => (list.length > limit * 1.25 ? list.slice(-limit) : list);
  return {
    accept(entry) {
      accepted.push(entry);
      accepted = trim(accepted);
    },
    reject(entry) {
      rejected.push(entry);
      rejected = trim(rejected);
    },
    query({ phoneNumberId, since } = {}) {
      const matches = (id: string, at: number): boolean => (phoneNumberId === undefined || id === phoneNumberId) && (since === undefined || at >= since);
      return {
        accepted: accepted.filter((e) => matches(e.phoneNumberId, e.acceptedAt)),
        rejected: rejected.filter((e) => matches(e.phoneNumberId, e.rejectedAt)),
      };
    },
    clear() {
      accepted = [];
      rejected = [];
    },
  };
}
