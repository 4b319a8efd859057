// Signed notes in the C2SP signed-note format (the format of Go's golang.org/x/mod/sumdb/note and
// of transparency-log checkpoints), so an outsider can check a checkpoint with existing tools:
// text, a blank line, then one line per signature: "— <name> <base64(key hash ‖ signature)>".
// Ed25519 keys are named <name>+<hex key hash>+<base64(0x01 ‖ public key)>.
import { createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { sha256 } from './hashing.js';

const ALG_ED25519 = 0x01;
const SIG_PREFIX = '\u2014 ';

export class NoteFormatError extends Error {
  override name = 'NoteFormatError';
}

export interface VerifierKey {
  name: string;
  /** The 4-byte key hash as 8 hex digits: the key id shown in checkpoints and by /audit/keys. */
  keyId: string;
  /** <name>+<keyId>+<base64(0x01 ‖ public key)>. */
  vkey: string;
  publicKey: KeyObject;
}

export interface NoteSigner extends VerifierKey {
  sign(text: string): Buffer;
}

const validName = (name: string) => name.length > 0 && !/[\s+]/u.test(name);

function keyHash(name: string, rawPublic: Buffer): Buffer {
  return sha256(Buffer.from(`${name}\n`, 'utf8'), Buffer.from([ALG_ED25519]), rawPublic).subarray(0, 4);
}

export function rawPublicKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new Error('not an Ed25519 key');
  return Buffer.from(jwk.x, 'base64url');
}

export function verifierKeyOf(name: string, publicKey: KeyObject): VerifierKey {
  if (!validName(name)) throw new NoteFormatError(`key name ${JSON.stringify(name)} has spaces or "+"`);
  const raw = rawPublicKey(publicKey);
  const id = keyHash(name, raw).toString('hex');
  const encoded = Buffer.concat([Buffer.from([ALG_ED25519]), raw]).toString('base64');
  return { name, keyId: id, vkey: `${name}+${id}+${encoded}`, publicKey };
}

export function signerOf(name: string, privateKey: KeyObject): NoteSigner {
  const key = verifierKeyOf(name, createPublicKey(privateKey));
  return { ...key, sign: (text) => sign(null, Buffer.from(text, 'utf8'), privateKey) };
}

export function parseVerifierKey(vkey: string): VerifierKey {
  const m = /^([^\s+]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+=*)$/.exec(vkey.trim());
  if (!m) throw new NoteFormatError('a verifier key looks like <name>+<8 hex digits>+<base64>');
  const blob = Buffer.from(m[3]!, 'base64');
  if (blob.length !== 33 || blob[0] !== ALG_ED25519)
    throw new NoteFormatError('verifier key is not an Ed25519 key (0x01 followed by 32 bytes)');
  const publicKey = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: blob.subarray(1).toString('base64url') },
    format: 'jwk',
  });
  const key = verifierKeyOf(m[1]!, publicKey);
  if (key.keyId !== m[2]) throw new NoteFormatError('verifier key hash does not match its name and key');
  return key;
}

export interface NoteSignature {
  name: string;
  keyId: string;
  signature: Buffer;
}

export interface SignedNote {
  text: string;
  signatures: NoteSignature[];
}

export function signNote(text: string, signer: NoteSigner): string {
  checkText(text);
  const blob = Buffer.concat([Buffer.from(signer.keyId, 'hex'), signer.sign(text)]).toString('base64');
  return `${text}\n${SIG_PREFIX}${signer.name} ${blob}\n`;
}

function checkText(text: string): void {
  if (!text.endsWith('\n')) throw new NoteFormatError('note text must end with a newline');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(text))
    throw new NoteFormatError('note text contains control characters');
}

export function parseNote(note: string): SignedNote {
  if (typeof note !== 'string' || note.length > 1_000_000) throw new NoteFormatError('note is not text');
  if (note.includes('\r')) throw new NoteFormatError('note has carriage returns (CRLF line endings?)');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteFormatError('note has no blank line before its signatures');
  const text = note.slice(0, split + 1);
  checkText(text);
  const lines = note.slice(split + 2).split('\n');
  if (lines.pop() !== '') throw new NoteFormatError('note must end with a newline');
  if (lines.length === 0) throw new NoteFormatError('note has no signature');
  const signatures = lines.map((line, i) => {
    const m = /^\u2014 ([^\s+]+) ([A-Za-z0-9+/]+=*)$/u.exec(line);
    const blob = m ? Buffer.from(m[2]!, 'base64') : undefined;
    if (!m || !blob || blob.length < 5)
      throw new NoteFormatError(`signature line ${i + 1} is not "\u2014 <name> <base64>"`);
    return { name: m[1]!, keyId: blob.subarray(0, 4).toString('hex'), signature: blob.subarray(4) };
  });
  return { text, signatures };
}

/** The trusted keys that signed the note validly (empty when none did). */
export function verifiedSigners(note: SignedNote, trusted: readonly VerifierKey[]): VerifierKey[] {
  const ok: VerifierKey[] = [];
  const data = Buffer.from(note.text, 'utf8');
  for (const sig of note.signatures) {
    const key = trusted.find((k) => k.name === sig.name && k.keyId === sig.keyId);
    if (key && sig.signature.length === 64 && verify(null, data, key.publicKey, sig.signature)) ok.push(key);
  }
  return ok;
}
