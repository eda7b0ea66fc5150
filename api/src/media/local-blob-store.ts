// Blobs as files under one directory: `<dir>/<key>` holds the bytes and `<dir>/<key>~content-type`
// the type. "~" is outside the key alphabet, so neither that file nor a temp file can be someone's key.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { assertBlobKey, type BlobStore } from './blob-store.ts';

const TYPE_SUFFIX = '~content-type';
const FALLBACK_TYPE = 'application/octet-stream';

export function createLocalBlobStore({ dir = '.data/media' }: { dir?: string } = {}): BlobStore {
  const root = path.resolve(dir);

  function pathOf(key: string): string {
    assertBlobKey(key);
    const file = path.resolve(root, key);
    // The key rule already keeps paths inside root; this holds even if that rule is ever loosened.
    if (!file.startsWith(root + path.sep)) throw new Error('blob key resolves outside the blob directory');
    return file;
  }

  return {
    async put(key, bytes, { contentType }) {
      const file = pathOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      // Type first, then bytes: a blob exists once its bytes do, and then its type is already there.
      await writeAtomically(`${file}${TYPE_SUFFIX}`, Buffer.from(contentType, 'utf8'));
      await writeAtomically(file, bytes);
    },

    async get(key) {
      const file = pathOf(key);
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (error) {
        if (isAbsent(error)) return undefined;
        throw error;
      }
      let contentType = FALLBACK_TYPE;
      try {
        contentType = (await readFile(`${file}${TYPE_SUFFIX}`, 'utf8')) || FALLBACK_TYPE;
      } catch (error) {
        if (!isAbsent(error)) throw error;
      }
      return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), contentType };
    },

    async delete(key) {
      const file = pathOf(key);
      // Bytes first: once they are gone the blob is gone, whatever happens to the type file.
      await rm(file, { force: true });
      await rm(`${file}${TYPE_SUFFIX}`, { force: true });
    },
  };
}

// Write to a sibling temp file, flush it, then rename over the target: readers see the old blob or the
// new one, never a torn write, and a crash leaves at most a stray temp file.
async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const temp = `${file}~tmp-${randomBytes(6).toString('hex')}`;
  const handle = await open(temp, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

// A key whose path runs through a file (`a` exists, asked for `a/b`) or names a directory holds no blob.
function isAbsent(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}
