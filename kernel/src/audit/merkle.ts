// Merkle tree hashing, proofs and proof verification exactly as RFC 9162 (Certificate
// Transparency 2.0) section 2.1 defines them: leaf = SHA-256(0x00 || data), node =
// SHA-256(0x01 || left || right), split at the largest power of two below n. The data of leaf i
// is the chain hash of the entry with seq i + 1, so a proof for an entry ties it to a signed root.
import { sha256 } from './hashing.js';

export const EMPTY_ROOT = sha256(Buffer.alloc(0));

// Inputs are built in buffers kept for the thread: a verifier hashes a leaf and about one node
// per entry, and concatenating fresh buffers for each cost more than the hashing.
const leafInput = Buffer.alloc(33, 0);
const nodeInput = Buffer.alloc(65, 1);

export function leafHash(data: Buffer): Buffer {
  if (data.length !== 32) return sha256(Buffer.from([0]), data);
  data.copy(leafInput, 1);
  return sha256(leafInput);
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  if (left.length !== 32 || right.length !== 32) return sha256(Buffer.from([1]), left, right);
  left.copy(nodeInput, 1);
  right.copy(nodeInput, 33);
  return sha256(nodeInput);
}

/** Largest power of two strictly smaller than n (n >= 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH over leaves[start, end) given their leaf hashes. */
export function subtreeRoot(leaves: readonly Buffer[], start: number, end: number): Buffer {
  const n = end - start;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return leaves[start]!;
  const k = splitPoint(n);
  return nodeHash(subtreeRoot(leaves, start, start + k), subtreeRoot(leaves, start + k, end));
}

/** Audit path of leaf `index` in the tree of the first `size` leaves (RFC 9162 2.1.3.1). */
export function inclusionProof(leaves: readonly Buffer[], index: number, size: number): Buffer[] {
  if (!(size <= leaves.length && index >= 0 && index < size)) throw new RangeError('index outside the tree');
  const path: Buffer[] = [];
  const walk = (m: number, start: number, end: number): void => {
    const n = end - start;
    if (n <= 1) return;
    const k = splitPoint(n);
    if (m < k) {
      walk(m, start, start + k);
      path.push(subtreeRoot(leaves, start + k, end));
    } else {
      walk(m - k, start + k, end);
      path.push(subtreeRoot(leaves, start, start + k));
    }
  };
  walk(index, 0, size);
  return path;
}

/** Consistency proof between the trees of the first m and n leaves, 0 < m <= n (RFC 9162 2.1.4.1). */
export function consistencyProof(leaves: readonly Buffer[], m: number, n: number): Buffer[] {
  if (!(m >= 1 && m <= n && n <= leaves.length)) throw new RangeError('sizes outside the tree');
  const proof: Buffer[] = [];
  const sub = (m: number, start: number, end: number, complete: boolean): void => {
    const n = end - start;
    if (m === n) {
      if (!complete) proof.push(subtreeRoot(leaves, start, end));
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      sub(m, start, start + k, complete);
      proof.push(subtreeRoot(leaves, start + k, end));
    } else {
      sub(m - k, start + k, end, false);
      proof.push(subtreeRoot(leaves, start, start + k));
    }
  };
  sub(m, 0, n, true);
  return proof;
}

const isBuf32 = (b: unknown): b is Buffer => Buffer.isBuffer(b) && b.length === 32;
const safeSize = (x: number) => Number.isSafeInteger(x) && x >= 0;

/** RFC 9162 2.1.3.2. Never throws: anything malformed is simply not a valid proof. */
export function verifyInclusion(
  leaf: Buffer,
  index: number,
  size: number,
  path: readonly Buffer[],
  root: Buffer,
): boolean {
  if (!isBuf32(leaf) || !isBuf32(root) || !Array.isArray(path) || !path.every(isBuf32)) return false;
  if (!safeSize(index) || !safeSize(size) || index >= size) return false;
  let fn = BigInt(index);
  let sn = BigInt(size - 1);
  let r = leaf;
  for (const p of path) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = nodeHash(p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && r.equals(root);
}

/** RFC 9162 2.1.4.2, plus the trivial case m == n (empty proof, equal roots). Never throws. */
export function verifyConsistency(
  m: number,
  n: number,
  proof: readonly Buffer[],
  firstRoot: Buffer,
  secondRoot: Buffer,
): boolean {
  if (!isBuf32(firstRoot) || !isBuf32(secondRoot) || !Array.isArray(proof) || !proof.every(isBuf32))
    return false;
  if (!safeSize(m) || !safeSize(n) || m < 1 || m > n) return false;
  if (m === n) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (proof.length === 0) return false;
  let path = proof;
  if ((BigInt(m) & BigInt(m - 1)) === 0n) path = [firstRoot, ...proof];
  let fn = BigInt(m - 1);
  let sn = BigInt(n - 1);
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return fr.equals(firstRoot) && sr.equals(secondRoot) && sn === 0n;
}

/**
 * The right edge of an append-only tree (one perfect-subtree root per set bit of its size): enough
 * to append a leaf and compute the root in O(log n) without the earlier leaves. The sealer keeps
 * it in erp.audit_heads; the verifier keeps one while it streams the chain.
 */
export class MerkleFrontier {
  constructor(
    private nodes: Buffer[] = [],
    private count = 0,
  ) {
    let bits = 0;
    for (let s = count; s > 0; s = Math.floor(s / 2)) bits += s % 2;
    if (bits !== nodes.length) throw new Error('frontier does not match its size');
  }

  get size(): number {
    return this.count;
  }

  get state(): Buffer[] {
    return [...this.nodes];
  }

  append(leaf: Buffer): void {
    this.nodes.push(leaf);
    this.count += 1;
    for (let s = this.count; s % 2 === 0; s /= 2) {
      const right = this.nodes.pop()!;
      const left = this.nodes.pop()!;
      this.nodes.push(nodeHash(left, right));
    }
  }

  /**
   * Appends a whole perfect subtree of `size` leaves (a power of two) by its root; the tree must
   * hold a multiple of `size` leaves, so the subtree sits where its leaves appended one by one
   * would have built it. How a verifier joins the subtrees its worker threads computed.
   */
  appendSubtree(root: Buffer, size: number): void {
    if (!(size >= 1 && (size & (size - 1)) === 0 && this.count % size === 0))
      throw new RangeError(`a subtree of ${size} leaves cannot follow ${this.count} leaves`);
    this.nodes.push(root);
    this.count += size;
    for (let s = this.count / size; s % 2 === 0; s /= 2) {
      const right = this.nodes.pop()!;
      const left = this.nodes.pop()!;
      this.nodes.push(nodeHash(left, right));
    }
  }

  /**
   * Appends the frontier of `size` further leaves (`nodes`, largest first, as `state` gives them)
   * computed apart from this one: valid when every node is no larger than the smallest subtree
   * this frontier holds, i.e. when this tree's size is a multiple of a power of two above `size`.
   */
  appendFrontier(nodes: readonly Buffer[], size: number): void {
    let left = size;
    for (const node of nodes) {
      const sub = 2 ** Math.floor(Math.log2(left));
      this.appendSubtree(node, sub);
      left -= sub;
    }
    if (left !== 0) throw new Error('frontier does not match its size');
  }

  root(): Buffer {
    return this.rootWith([]);
  }

  /** The root of this tree followed by the leaves whose frontier is `after` (see appendFrontier). */
  rootWith(after: readonly Buffer[]): Buffer {
    const all = after.length ? [...this.nodes, ...after] : this.nodes;
    if (all.length === 0) return EMPTY_ROOT;
    let r = all[all.length - 1]!;
    for (let i = all.length - 2; i >= 0; i--) r = nodeHash(all[i]!, r);
    return r;
  }
}
