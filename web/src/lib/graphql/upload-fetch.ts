// fetch() cannot report how much of a request body has been sent; XMLHttpRequest can. This is a fetch
// for one urql operation (its `fetch` context option) that sends through XHR and reports the bytes sent,
// so an agent sees a large file's upload move. urql still builds the request itself: for a File in the
// variables, the GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec).

export interface UploadProgress {
	loaded: number;
	total: number;
}

type Xhr = Pick<
	XMLHttpRequest,
	'open' | 'send' | 'abort' | 'setRequestHeader' | 'getAllResponseHeaders' | 'status' | 'statusText' | 'responseText' | 'withCredentials' | 'onload' | 'onerror' | 'ontimeout' | 'onabort'
> & { upload: Pick<XMLHttpRequestUpload, 'onprogress'> };

// Statuses whose Response must have no body (Fetch standard, "null body status").
const NULL_BODY = new Set([101, 204, 205, 304]);

/** `name: value` lines of getAllResponseHeaders() as Headers. */
export function parseResponseHeaders(raw: string): Headers {
	const headers = new Headers();
	for (const line of raw.split(/\r?\n/)) {
		const colon = line.indexOf(':');
		if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
	}
	return headers;
}

export function fetchWithUploadProgress(
	onProgress: (progress: UploadProgress) => void,
	createXhr: () => Xhr = () => new XMLHttpRequest()
): typeof fetch {
	return (input, init = {}) =>
		new Promise<Response>((resolve, reject) => {
			const signal = init.signal;
			const aborted = () => reject(signal?.reason ?? new DOMException('The upload was aborted.', 'AbortError'));
			if (signal?.aborted) return aborted();

			const xhr = createXhr();
			xhr.open(init.method ?? 'GET', input instanceof Request ? input.url : String(input));
			xhr.withCredentials = init.credentials === 'include';
			new Headers(init.headers).forEach((value, name) => xhr.setRequestHeader(name, value));
			xhr.upload.onprogress = (event) => {
				if (event.lengthComputable) onProgress({ loaded: event.loaded, total: event.total });
			};
			xhr.onload = () =>
				resolve(
					new Response(NULL_BODY.has(xhr.status) ? null : xhr.responseText, {
						status: xhr.status,
						statusText: xhr.statusText,
						headers: parseResponseHeaders(xhr.getAllResponseHeaders())
					})
				);
			// As fetch() does: a network failure is a TypeError, whatever the cause.
			xhr.onerror = xhr.ontimeout = () => reject(new TypeError('Failed to fetch'));
			xhr.onabort = aborted;
			signal?.addEventListener('abort', () => xhr.abort(), { once: true });
			xhr.send((init.body ?? null) as XMLHttpRequestBodyInit | null);
		});
}
