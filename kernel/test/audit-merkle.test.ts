// Merkle trees, proofs and their verification against RFC 9162 section 2.1, checked three ways:
// the Certificate Transparency reference vectors, an independent straightforward transcription of
// the RFC's recursive definitions (below, sharing no code with src/audit/merkle.ts), and forged
// and fuzzed proofs that must be rejected without an exception.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  MerkleFrontier,
  subtreeRoot,
  verifyConsistency,
  verifyInclusion,
} from '../src/audit/index.js';

// ---- the RFC 9162 definitions, written out directly over arrays of leaf data ----
const H = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const k = (n: number) => 2 ** Math.ceil(Math.log2(n) - 1); // largest power of two smaller than n (n > 1)
function MTH(D: Buffer[]): Buffer {
  if (D.length === 0) return H();
  if (D.length === 1) return H(Buffer.from([0]), D[0]!);
  return H(Buffer.from([1]), MTH(D.slice(0, k(D.length))), MTH(D.slice(k(D.length))));
}
function PATH(m: number, D: Buffer[]): Buffer[] {
  const n = D.length;
  if (n === 1) return [];
  return m < k(n)
    ? [...PATH(m, D.slice(0, k(n))), MTH(D.slice(k(n)))]
    : [...PATH(m - k(n), D.slice(k(n))), MTH(D.slice(0, k(n)))];
}
function SUBPROOF(m: number, D: Buffer[], b: boolean): Buffer[] {
  const n = D.length;
  if (m === n) return b ? [] : [MTH(D)];
  return m <= k(n)
    ? [...SUBPROOF(m, D.slice(0, k(n)), b), MTH(D.slice(k(n)))]
    : [...SUBPROOF(m - k(n), D.slice(k(n)), false), MTH(D.slice(0, k(n)))];
}
const PROOF = (m: number, D: Buffer[]) => SUBPROOF(m, D, true);

const hex = (b: Buffer) => b.toString('hex');
const same = (a: readonly Buffer[], b: readonly Buffer[]) =>
  a.length === b.length && a.every((x, i) => x.equals(b[i]!));
const unhex = (s: string) => Buffer.from(s, 'hex');

// Certificate Transparency reference data (RFC 6962 test vectors, as published by transparency-dev).
const CT_DATA = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(unhex);
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

const N = 33;
const DATA = Array.from({ length: N }, (_, i) => H(Buffer.from(`entry ${i}`)));
const LEAVES = DATA.map(leafHash);

/** A deterministic PRNG so a failing fuzz case can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return (max: number) => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s % max;
  };
}

describe('audit Merkle tree (RFC 9162)', () => {
  it('gives the Certificate Transparency reference roots and proofs', () => {
    const leaves = CT_DATA.map(leafHash);
    for (let n = 1; n <= 8; n++) expect(hex(subtreeRoot(leaves, 0, n))).toBe(CT_ROOTS[n - 1]);
    expect(inclusionProof(leaves, 0, 8).map(hex)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(inclusionProof(leaves, 5, 8).map(hex)).toEqual([
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
  });

  it('roots, frontier roots and proofs equal the RFC definitions for every tree of 1..N leaves', () => {
    const frontier = new MerkleFrontier();
    for (let n = 1; n <= N; n++) {
      const D = DATA.slice(0, n);
      const root = MTH(D);
      frontier.append(LEAVES[n - 1]!);
      expect(hex(subtreeRoot(LEAVES, 0, n))).toBe(hex(root));
      expect(hex(frontier.root())).toBe(hex(root));
      // The frontier survives a round trip through its stored state (as the sealer keeps it).
      expect(hex(new MerkleFrontier(frontier.state, n).root())).toBe(hex(root));
      for (let m = 0; m < n; m++) {
        const path = inclusionProof(LEAVES, m, n);
        expect(path.map(hex)).toEqual(PATH(m, D).map(hex));
        expect(verifyInclusion(LEAVES[m]!, m, n, path, root)).toBe(true);
      }
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(LEAVES, m, n);
        expect(proof.map(hex)).toEqual(PROOF(m, D).map(hex));
        expect(verifyConsistency(m, n, proof, MTH(DATA.slice(0, m)), root)).toBe(true);
      }
    }
  });

  it('refuses to build proofs outside the tree', () => {
    expect(() => inclusionProof(LEAVES, 5, 5)).toThrow(RangeError);
    expect(() => inclusionProof(LEAVES, 0, N + 1)).toThrow(RangeError);
    expect(() => consistencyProof(LEAVES, 6, 5)).toThrow(RangeError);
    expect(() => consistencyProof(LEAVES, 0, 5)).toThrow(RangeError);
  });

  it('rejects forged inclusion proofs', () => {
    const n = 27;
    const root = MTH(DATA.slice(0, n));
    for (let m = 0; m < n; m++) {
      const path = inclusionProof(LEAVES, m, n);
      const flip = (b: Buffer) => {
        const c = Buffer.from(b);
        c[7]! ^= 1;
        return c;
      };
      expect(verifyInclusion(flip(LEAVES[m]!), m, n, path, root)).toBe(false); // another entry
      expect(verifyInclusion(LEAVES[m]!, m, n, path, flip(root))).toBe(false); // another root
      if (m + 1 < n) expect(verifyInclusion(LEAVES[m]!, m + 1, n, path, root)).toBe(false); // moved
      // Another size: only valid where that tree really has the same audit path for the leaf. (A
      // root is only meaningful with its size; signed checkpoints bind the two.)
      const root2 = MTH(DATA.slice(0, n + 1));
      expect(verifyInclusion(LEAVES[m]!, m, n + 1, path, root2)).toBe(
        same(path, PATH(m, DATA.slice(0, n + 1))),
      );
      expect(verifyInclusion(LEAVES[m]!, m, n, [...path, path[0] ?? root], root)).toBe(false); // extended
      if (path.length) {
        expect(verifyInclusion(LEAVES[m]!, m, n, path.slice(0, -1), root)).toBe(false); // truncated
        for (let i = 0; i < path.length; i++) {
          const forged = path.map((p, j) => (j === i ? flip(p) : p));
          expect(verifyInclusion(LEAVES[m]!, m, n, forged, root)).toBe(false);
        }
      }
      expect(verifyInclusion(DATA[m]!, m, n, path, root)).toBe(false); // raw data is not a leaf hash
    }
  });

  it('rejects forged consistency proofs', () => {
    const n = 23;
    const root = MTH(DATA.slice(0, n));
    for (let m = 1; m < n; m++) {
      const first = MTH(DATA.slice(0, m));
      const proof = consistencyProof(LEAVES, m, n);
      const other = H(first);
      expect(verifyConsistency(m, n, proof, other, root)).toBe(false);
      expect(verifyConsistency(m, n, proof, first, other)).toBe(false);
      expect(verifyConsistency(m, n, [], first, root)).toBe(false);
      expect(verifyConsistency(m, n, proof.slice(1), first, root)).toBe(false);
      expect(verifyConsistency(m, n, [...proof, root], first, root)).toBe(false);
      expect(verifyConsistency(n, m, proof, root, first)).toBe(false); // sizes swapped
      for (let i = 0; i < proof.length; i++) {
        const forged = proof.map((p, j) => (j === i ? H(p) : p));
        expect(verifyConsistency(m, n, forged, first, root)).toBe(false);
      }
    }
    // A rewritten history: same size, one different leaf, cannot be proven consistent.
    const rewritten = [...DATA.slice(0, n)];
    rewritten[3] = H(Buffer.from('rewritten'));
    const forgedRoot = MTH(rewritten);
    for (let m = 4; m < n; m++)
      expect(verifyConsistency(m, n, consistencyProof(LEAVES, m, n), MTH(rewritten.slice(0, m)), root)).toBe(
        false,
      );
    expect(verifyConsistency(n, n, [], root, forgedRoot)).toBe(false);
  });

  it('fuzz: random and mutated proofs are rejected, and nothing malformed throws', () => {
    const rand = rng(9162);
    const garbage: unknown[] = [
      null,
      undefined,
      'x',
      42,
      {},
      [1],
      Buffer.alloc(31),
      Buffer.alloc(33),
      Number.NaN,
    ];
    for (let round = 0; round < 500; round++) {
      const n = 1 + rand(N);
      const m = rand(n);
      const root = subtreeRoot(LEAVES, 0, n);
      const path = inclusionProof(LEAVES, m, n);
      // Mutate: drop, duplicate, reorder, replace an element, or change index/size.
      const mutated = [...path];
      const what = rand(6);
      if (what === 0 && mutated.length) mutated.splice(rand(mutated.length), 1);
      else if (what === 1) mutated.splice(rand(mutated.length + 1), 0, randomBytes(32));
      else if (what === 2 && mutated.length > 1) mutated.reverse();
      else if (what === 3 && mutated.length) mutated[rand(mutated.length)] = randomBytes(32);
      const index = what === 4 ? (m + 1 + rand(n)) % (n + 2) : m;
      const size = what === 5 ? Math.min(N, n + 1 + rand(5)) : n;
      // The oracle: valid exactly when it is the RFC's audit path of this leaf in a tree of that size.
      const claimedRoot = subtreeRoot(LEAVES, 0, size);
      const valid = index === m && m < size && same(mutated, PATH(m, DATA.slice(0, size)));
      expect(verifyInclusion(LEAVES[m]!, index, size, mutated, claimedRoot)).toBe(valid);
      const a = 1 + rand(n);
      const proof = consistencyProof(LEAVES, a, n);
      if (proof.length) {
        proof[rand(proof.length)] = randomBytes(32);
        expect(verifyConsistency(a, n, proof, subtreeRoot(LEAVES, 0, a), root)).toBe(false);
      }
      const junk = garbage[rand(garbage.length)] as never;
      expect(() => verifyInclusion(junk, m, n, path, root)).not.toThrow();
      expect(verifyInclusion(LEAVES[m]!, junk, n, path, root)).toBe(false);
      expect(verifyInclusion(LEAVES[m]!, m, n, [junk], root)).toBe(false);
      expect(verifyConsistency(junk, n, proof, root, root)).toBe(false);
      expect(() => verifyConsistency(a, n, junk, root, root)).not.toThrow();
      expect(verifyInclusion(LEAVES[m]!, -1, n, path, root)).toBe(false);
      expect(verifyInclusion(LEAVES[m]!, m, 2 ** 60, path, root)).toBe(false);
    }
  });
});
