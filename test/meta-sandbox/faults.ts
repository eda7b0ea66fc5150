// Failures on demand, for the error paths of our Graph client and media downloader: the next
// `count` sends (to one number or to any) fail with a given Meta error, either synchronously or as
// an accepted send whose status webhook says `failed`; the next downloads of a media id answer 5xx.
// Faults are consumed in the order they were injected.

export interface SendFault {
  id: number;
  /** Only sends from this number; any number when absent. */
  phoneNumberId?: string;
  /** Meta error code; absent for a bare 5xx without a Graph error body. */
  code?: number;
  /** Overrides Meta's status for the code (400, or 401 for 190). */
  httpStatus?: number;
  /** For a bare 5xx: an HTML error page, as a load balancer gives, or nothing at all. */
  body: 'html' | 'empty';
  /** `response`: the send is refused; `failed-status`: accepted, then a failed status webhook. */
  as: 'response' | 'failed-status';
  remaining: number;
}

export interface MediaDownloadFault {
  id: number;
  mediaId?: string;
  httpStatus: number;
  remaining: number;
}

export type SendFaultInput = Partial<Pick<SendFault, 'phoneNumberId' | 'code' | 'httpStatus' | 'body' | 'as'>> & { count?: number };
export type MediaDownloadFaultInput = { mediaId?: string; httpStatus?: number; count?: number };

export interface Faults {
  injectSend(input: SendFaultInput): SendFault;
  injectMediaDownload(input: MediaDownloadFaultInput): MediaDownloadFault;
  /** The fault this send runs into, if any; consumes one of its count. */
  takeSend(phoneNumberId: string): SendFault | undefined;
  takeMediaDownload(mediaId: string): MediaDownloadFault | undefined;
  list(): { sends: SendFault[]; mediaDownloads: MediaDownloadFault[] };
  clear(): void;
}

export function createFaults(): Faults {
  let sends: SendFault[] = [];
  let downloads: MediaDownloadFault[] = [];
  let nextId = 1;

  function take<T extends { remaining: number }>(list: T[], applies: (fault: T) => boolean): T | undefined {
    const fault = list.find((f) => f.remaining > 0 && applies(f));
    if (fault) fault.remaining--;
    return fault;
  }

  return {
    injectSend({ phoneNumberId, code, httpStatus, body = 'html', as = 'response', count = 1 }) {
      if (code === undefined && (httpStatus === undefined || httpStatus < 500)) throw new RangeError('a fault needs a Meta error code or a 5xx httpStatus');
      if (as === 'failed-status' && code === undefined) throw new RangeError('a failed-status fault needs a Meta error code');
      const fault: SendFault = {
        id: nextId++,
        ...(phoneNumberId === undefined ? {} : { phoneNumberId }),
        ...(code === undefined ? {} : { code }),
        ...(httpStatus === undefined ? {} : { httpStatus }),
        body,
        as,
        remaining: count,
      };
      sends.push(fault);
      return fault;
    },
    injectMediaDownload({ mediaId, httpStatus = 500, count = 1 }) {
      const fault: MediaDownloadFault = { id: nextId++, ...(mediaId === undefined ? {} : { mediaId }), httpStatus, remaining: count };
      downloads.push(fault);
      return fault;
    },
    takeSend(phoneNumberId) {
      const fault = take(sends, (f) => f.phoneNumberId === undefined || f.phoneNumberId === phoneNumberId);
      sends = sends.filter((f) => f.remaining > 0);
      return fault;
    },
    takeMediaDownload(mediaId) {
      const fault = take(downloads, (f) => f.mediaId === undefined || f.mediaId === mediaId);
      downloads = downloads.filter((f) => f.remaining > 0);
      return fault;
    },
    list: () => ({ sends: [...sends], mediaDownloads: [...downloads] }),
    clear() {
      sends = [];
      downloads = [];
    },
  };
}
