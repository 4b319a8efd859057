// Files in the browser: the SHA-256 and base64 chunks an import upload sends, and saving a file
// the API answered in base64 pieces (a template, an error file, an export's chunks).
export const BASE = '/api/v1/p/integrations';

/** Raw bytes per uploaded chunk: under the route's 700,000 base64 characters. */
export const CHUNK_BYTES = 480 * 1024;

export async function sha256Hex(data: ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', data);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Offers the pieces, concatenated, as a download named `filename`. */
export function saveFile(parts: string[], filename: string, type: string): void {
  const url = URL.createObjectURL(new Blob(parts.map(fromBase64), { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
