// Downloading a file the api prepared (an analytics CSV) with its progress: the body is read chunk by
// chunk and counted against Content-Length, then handed to the browser to save under its name.

export interface DownloadProgress {
	loaded: number;
	/** Null when the server did not say how large the file is. */
	total: number | null;
}

export class DownloadError extends Error {
	constructor(readonly status: number) {
		super(`The download answered ${status}.`);
		this.name = 'DownloadError';
	}
}

/** The whole body of `response` as a Blob, reporting the bytes read so far after every chunk. */
export async function readWithProgress(response: Response, onProgress: (progress: DownloadProgress) => void): Promise<Blob> {
	if (!response.ok) throw new DownloadError(response.status);
	const length = Number(response.headers.get('content-length'));
	const total = Number.isFinite(length) && length > 0 ? length : null;
	const type = response.headers.get('content-type') ?? '';
	if (!response.body) return new Blob([], { type });
	const reader = response.body.getReader();
	const chunks: Uint8Array<ArrayBuffer>[] = [];
	let loaded = 0;
	onProgress({ loaded, total });
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		chunks.push(value);
		loaded += value.byteLength;
		onProgress({ loaded, total });
	}
	return new Blob(chunks, { type });
}

/** 0–100, or null when the total is unknown. */
export function percentOf({ loaded, total }: DownloadProgress): number | null {
	if (total === null) return null;
	return Math.min(100, Math.floor((loaded / total) * 100));
}

/** The file name of a `Content-Disposition` header (RFC 6266: `filename*` first), or null. */
export function fileNameOf(disposition: string | null): string | null {
	if (!disposition) return null;
	const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
	if (extended) {
		try {
			return decodeURIComponent(extended[1]!.trim());
		} catch {
			// fall through to the plain name
		}
	}
	const plain = /filename\s*=\s*(?:"([^"]*)"|([^;]+))/.exec(disposition);
	return plain ? (plain[1] ?? plain[2]!.trim()) : null;
}

/** Hands a file to the browser to save, as a link with `download` would. */
export function saveBlob(blob: Blob, name: string): void {
	const url = URL.createObjectURL(blob);
	const link = document.createElement('a');
	link.href = url;
	link.download = name;
	link.hidden = true;
	document.body.append(link);
	link.click();
	link.remove();
	// The browser has taken the file once the click is handled.
	setTimeout(() => URL.revokeObjectURL(url), 0);
}
