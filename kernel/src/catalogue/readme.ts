// A package's README for the catalogue: the packument's `readme` when the registry keeps one,
// else the README file at the top of the version's tarball (npm publish no longer sends it in the
// document). A gzip'd tar is 512-byte headers and data blocks: reading one file needs no library.
import { gunzipSync } from 'node:zlib';

const MAX_TARBALL = 20 * 1024 * 1024;
const MAX_README = 512 * 1024;

function readmeFromTar(tar: Buffer): string | null {
  let offset = 0;
  let longName: string | null = null;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, len: number) =>
      header
        .subarray(start, start + len)
        .toString('utf8')
        .replace(/\0[\s\S]*$/, '');
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    const prefix = field(345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    longName = null;
    const data = tar.subarray(offset + 512, offset + 512 + size);
    if (type === 'L') longName = data.toString('utf8').replace(/\0[\s\S]*$/, '');
    else if ((type === '0' || type === '') && /^[^/]+\/readme(\.(md|markdown|txt))?$/i.test(name))
      return data.subarray(0, MAX_README).toString('utf8');
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return null;
}

export async function tarballReadme(url: string, token?: string): Promise<string | null> {
  try {
    const res = await fetch(url, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) return null;
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length > MAX_TARBALL) return null;
    return readmeFromTar(gunzipSync(bytes, { maxOutputLength: MAX_TARBALL * 4 }));
  } catch {
    return null; // the catalogue still answers; only the README is missing
  }
}
