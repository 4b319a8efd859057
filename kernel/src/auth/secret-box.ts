// AES-256-GCM for small secrets kept in the database (TOTP seeds), with keys derived from the
// master keys, which never enter the database. A sealed value names the master key it was sealed
// under — v2.<key id>.<iv>.<tag>.<ciphertext> (base64url) — so the master key can rotate: values
// under an older key still open, and reseal() moves them to the current key. v1 values (before
// key ids) were sealed under the first key of the ring.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface BoxKey {
  id: string;
  key: Buffer;
}

export class SecretBox {
  private readonly keys: Map<string, Buffer>;
  readonly currentId: string;
  private readonly legacyId: string;

  /** `ring`: oldest first; the last key seals, every key opens. */
  constructor(ring: BoxKey[]) {
    if (!ring.length) throw new Error('SecretBox needs at least one key');
    this.keys = new Map(ring.map((k) => [k.id, k.key]));
    this.currentId = ring[ring.length - 1]!.id;
    this.legacyId = ring[0]!.id;
  }

  seal(plain: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentId)!, iv);
    cipher.setAAD(Buffer.from(context));
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v2', this.currentId, ...[iv, cipher.getAuthTag(), ct].map((p) => p.toString('base64url'))].join(
      '.',
    );
  }

  /** The id of the master key a value was sealed under. */
  keyIdOf(sealed: string): string {
    const [v, id] = sealed.split('.');
    if (v === 'v1') return this.legacyId;
    if (v === 'v2' && id) return id;
    throw new Error('sealed secret has an unknown format');
  }

  open(sealed: string, context: string): string {
    const parts = sealed.split('.');
    const [iv, tag, ct] = parts[0] === 'v1' ? parts.slice(1) : parts.slice(2);
    const key = this.keys.get(this.keyIdOf(sealed));
    if (!key)
      throw new Error(`sealed under master key ${this.keyIdOf(sealed)}, which this instance does not hold`);
    if (!iv || !tag || !ct) throw new Error('sealed secret has an unknown format');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** The value sealed under the current key (the same value when it already is). */
  reseal(sealed: string, context: string): string {
    return this.keyIdOf(sealed) === this.currentId ? sealed : this.seal(this.open(sealed, context), context);
  }
}
