// The pieces of the audit format an outsider re-implements: RFC 8785 canonical JSON, the entry
// hash, signed notes (checked against Go's golang.org/x/mod/sumdb/note vectors), checkpoints, and
// the verifier itself on an in-memory chain, fuzzed with random single changes.
import { createHash, generateKeyPairSync } from 'node:crypto';
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { canonicalEntryJson, referenceEntryJson } from '../src/audit/hashing.js';
import {
  b64,
  canonicalJson,
  GENESIS_HASH,
  type JsonValue,
  NoteFormatError,
  parseCheckpoint,
  parseNote,
  parseSigningKey,
  parseVerifierKey,
  type SealedEntry,
  signerOf,
  verifierKeyOf,
} from '../src/audit/index.js';
import { signNote, verifiedSigners } from '../src/audit/note.js';

import { chain, checkpointOf, signer, TENANT, verify } from './support/audit-memory.js';

describe('audit format', () => {
  it('canonicalises JSON as RFC 8785 says', () => {
    // Key order by UTF-16 code units, numbers in ECMAScript form, minimal string escapes.
    expect(canonicalJson({ b: 1, a: [1e21, 0.000001, -0, 1.5e-7], '\u20ac': 'x', '\r': '\u2028\n"' })).toBe(
      '{"\\r":"\u2028\\n\\"","a":[1e+21,0.000001,0,1.5e-7],"b":1,"\u20ac":"x"}',
    );
    expect(
      canonicalJson({ numbers: [333333333.3333333, 1e30, 4.5, 2e-3, 0.000000000000000000000000001] }),
    ).toBe('{"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27]}');
  });

  it('encodes entries exactly as the RFC 8785 library does (random entries)', () => {
    let seed = 77;
    const rand = (max: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % max;
    };
    const pieces = [
      'a',
      'Z',
      '\u00e9',
      '\u20ac',
      '\ud83d\ude00',
      '"',
      '\\',
      '\n',
      '\u0001',
      '\u2028',
      '</script>',
      ' ',
      '10',
      '-',
    ];
    const str = () => Array.from({ length: rand(6) }, () => pieces[rand(pieces.length)]).join('');
    const nums = [0, -0, 1, -1, 0.1, 1e21, 1e-7, 123456789.125, 2 ** 53, -1.5e300, 5e-324];
    const value = (depth: number): JsonValue => {
      const kind = rand(depth > 2 ? 4 : 6);
      if (kind === 0) return null;
      if (kind === 1) return rand(2) === 0;
      if (kind === 2) return nums[rand(nums.length)]!;
      if (kind === 3) return str();
      if (kind === 4) return Array.from({ length: rand(4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: rand(5) }, () => [str(), value(depth + 1)]));
    };
    const maybe = () => (rand(3) === 0 ? null : str());
    for (let i = 0; i < 500; i++) {
      const e = {
        tenantId: str(),
        seq: 1 + rand(1e9),
        occurredAt: new Date(rand(2e12)).toISOString(),
        actor: { type: 'user' as const, id: maybe(), userId: maybe() },
        action: str(),
        resource: { type: str(), id: maybe() },
        requestId: maybe(),
        clientIp: maybe(),
        change: value(0),
      };
      const reference = referenceEntryJson(e);
      expect(canonicalEntryJson(e)).toBe(reference);
      expect(canonicalEntryJson(e, canonicalJson(e.change))).toBe(reference);
    }
  });

  it('canonicalises exactly as the RFC 8785 library does, on the fast path and off it', () => {
    let seed = 4242;
    const rand = (max: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % max;
    };
    const pieces = ['a', 'b', 'B', '\u00e9', '\ud83d\ude00', '"', '\n', '\u2028', '1', '10', '2', '_', ''];
    const str = () => Array.from({ length: rand(4) }, () => pieces[rand(pieces.length)]).join('');
    const nums = [0, -0, 1, -1, 0.1, 1e21, 1e-7, 2 ** 53, -1.5e300, 5e-324];
    const value = (depth: number): JsonValue => {
      const kind = rand(depth > 2 ? 4 : 6);
      if (kind === 0) return null;
      if (kind === 1) return rand(2) === 0;
      if (kind === 2) return nums[rand(nums.length)]!;
      if (kind === 3) return str();
      if (kind === 4) return Array.from({ length: rand(4) }, () => value(depth + 1));
      const entries = Array.from({ length: rand(5) }, () => [str(), value(depth + 1)] as const);
      // Half the objects come with their keys already in JCS order (as parsed from canonical text).
      if (rand(2) === 0) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return Object.fromEntries(entries);
    };
    for (let i = 0; i < 2000; i++) {
      const v = value(0);
      expect(canonicalJson(v)).toBe(canonicalize(v));
      expect(canonicalJson(JSON.parse(canonicalJson(v)))).toBe(canonicalize(v));
    }
    // What the library refuses stays refused.
    expect(() => canonicalJson({ a: '\ud800' })).toThrow();
    expect(() => canonicalJson({ '\udc00': 1 })).toThrow();
    expect(() => canonicalJson([Number.NaN] as unknown as JsonValue)).toThrow();
  });

  it('hashes an entry as SHA-256(tag || prev_hash || JCS(entry)), independent of key order', () => {
    const [e] = chain(1);
    const body = `{"action":"iam.user.updated","actor":{"id":"u-1","type":"user","userId":null},"change":{"after":{"n":1,"note":"café"},"before":{"n":0}},"clientIp":"127.0.0.1","occurredAt":"2025-01-01T00:00:01.000Z","requestId":"req-1","resource":{"id":"r-1","type":"user"},"seq":1,"tenantId":"${TENANT}","v":1}`;
    const expected = createHash('sha256')
      .update(Buffer.concat([Buffer.from('erp-audit-entry/v1\n'), GENESIS_HASH, Buffer.from(body, 'utf8')]))
      .digest();
    expect(b64(e!.hash)).toBe(b64(expected));
  });

  it('signs and opens notes exactly like Go\u2019s sumdb/note (published test vector)', () => {
    const seed = Buffer.from('AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz', 'base64').subarray(1);
    const peter = signerOf('PeterNeumann', parseSigningKey(seed.toString('base64')));
    expect(peter.vkey).toBe('PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW');
    const text =
      "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    const note = signNote(text, peter);
    expect(note).toBe(
      `${text}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`,
    );
    const vkey = parseVerifierKey(peter.vkey);
    expect(verifiedSigners(parseNote(note), [vkey])).toHaveLength(1);
    expect(verifiedSigners(parseNote(note.replace('cryptography', 'cryptographY')), [vkey])).toHaveLength(0);
    expect(() =>
      parseVerifierKey('PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'),
    ).toThrow(NoteFormatError);
  });

  it('parses checkpoints and names what is malformed', () => {
    const entries = chain(5);
    const note = checkpointOf(entries, 5);
    const cp = parseCheckpoint(note);
    expect(cp).toMatchObject({ tenantId: TENANT, size: 5, time: '2025-01-01T00:00:00.000Z' });
    expect(note.split('\n')[0]).toBe(`erp-audit/${TENANT}`);
    const bad: Array<[string, RegExp]> = [
      ['', /no blank line/],
      ['hello\n', /no blank line/],
      [note.replace(`erp-audit/${TENANT}`, 'someone-else/x'), /line 1/],
      [note.replace('\n5\n', '\nfive\n'), /line 2/],
      [note.replace(/\n5\n[^\n]+\n/, '\n5\nnot-base64!\n'), /line 3/],
      [note.replace(/\nhead [^\n]+/, ''), /head/],
      [note.replace(/\n\n\u2014 .*\n$/, '\n\n'), /signature/],
      [note.replace('\u2014 ', '- '), /signature line 1/],
      [note.replace(/\n/g, '\r\n'), /carriage/],
    ];
    for (const [text, why] of bad) expect(() => parseCheckpoint(text), JSON.stringify(text)).toThrow(why);
  });

  it('accepts an intact chain with its checkpoints', () => {
    const entries = chain(12);
    const report = verify(
      entries,
      [checkpointOf(entries, 4), checkpointOf(entries, 12)],
      [checkpointOf(entries, 8)],
    );
    expect(report).toMatchObject({ valid: true, entries: 12, firstBadSeq: null, problems: [] });
    expect(report.checkpoints).toEqual({ stored: 2, matching: 3 });
  });

  it('rejects checkpoints signed by an untrusted key or for another tenant', () => {
    const entries = chain(3);
    const other = signerOf('erp-audit-test', generateKeyPairSync('ed25519').privateKey);
    const r = verify(entries, [checkpointOf(entries, 3, other)]);
    expect(r.valid).toBe(false);
    expect(r.problems[0]?.code).toBe('CHECKPOINT_SIGNATURE');
    const foreign = checkpointOf(entries, 3).replace(TENANT, '00000000-0000-4000-8000-000000000000');
    expect(verify(entries, [foreign]).problems[0]?.code).toBe('CHECKPOINT_TENANT');
    expect(verifierKeyOf('x', signer.publicKey).vkey).toMatch(/^x\+[0-9a-f]{8}\+/);
  });

  it('fuzz: any single change to any entry is detected and the changed seq is named', () => {
    let seed = 8785;
    const rand = (max: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % max;
    };
    const fields = [
      'occurredAt',
      'actor',
      'action',
      'resource',
      'requestId',
      'clientIp',
      'change',
      'prevHash',
      'hash',
      'seq',
      'tenantId',
    ];
    for (let round = 0; round < 200; round++) {
      const entries = chain(20);
      const i = rand(entries.length);
      const field = fields[rand(fields.length)]!;
      const e = { ...entries[i]! } as Record<string, unknown>;
      switch (field) {
        case 'prevHash':
        case 'hash': {
          const h = Buffer.from(e[field] as Buffer);
          h[rand(32)]! ^= 1 << rand(8);
          e[field] = h;
          break;
        }
        case 'seq':
          e.seq = (e.seq as number) + 1 + rand(3);
          break;
        case 'actor':
          e.actor = { ...(e.actor as object), id: 'someone-else' };
          break;
        case 'resource':
          e.resource = { ...(e.resource as object), id: null };
          break;
        case 'change':
          e.change = { after: { n: -1 } };
          break;
        case 'tenantId':
          e.tenantId = '00000000-0000-4000-8000-000000000000';
          break;
        default:
          e[field] = `${String(e[field])}x`;
      }
      entries[i] = e as unknown as SealedEntry;
      const r = verify(entries, [checkpointOf(chain(20), 20)]);
      expect(r.valid, `${field} of entry ${i + 1}`).toBe(false);
      expect(r.firstBadSeq, `${field} of entry ${i + 1}`).toBe(i + 1);
    }
  });

  it('names the first seq for deletions, swaps and a cut tail', () => {
    const entries = chain(10);
    const cps = [checkpointOf(entries, 5), checkpointOf(entries, 10)];
    const del = entries.filter((e) => e.seq !== 4);
    expect(verify(del, cps).firstBadSeq).toBe(4);
    const swapped = [...entries];
    [swapped[2], swapped[6]] = [swapped[6]!, swapped[2]!];
    expect(verify(swapped, cps).firstBadSeq).toBe(3);
    const r = verify(entries.slice(0, 7), cps);
    expect(r.firstBadSeq).toBe(8);
    expect(r.problems.map((p) => p.code)).toContain('CHECKPOINT_BEYOND_CHAIN');
  });
});
