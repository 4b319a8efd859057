// Stock mechanics shared by the steps: taking units out of layers, opening layers, and letting
// arriving units settle issues made below zero. These run only after a step has been validated,
// and never throw.
import { type Dec, dec, min, ONE, ZERO } from './decimal.js';
import type { Layer } from './layers.js';
import type { Posting } from './posting.js';
import { type IssueRec, isLayered, type State } from './state.js';
import type { CostSource, LayerKind } from './types.js';
import type { Named } from './validate.js';

function closeLayer(state: State, layer: Layer): void {
  state.layers.remove(layer);
  if (layer.kind !== 'receipt' || state.keepHistory) return;
  // A line of serials may hold several layers (one per cost): the record goes with the last.
  const owner = layerOwner(layer.id);
  if (owner !== layer.id || layer.serials || layer.lot !== undefined) {
    if (state.layers.toArray().some((l) => layerOwner(l.id) === owner)) return;
  }
  state.receipts.delete(owner);
}

/**
 * The receipt or return a layer belongs to: its id, or for the second and later layers of a line
 * of serials at different costs (`<id>#2`, `<id>#3`…) the id before the `#`.
 */
export function layerOwner(id: string): string {
  const at = id.lastIndexOf('#');
  return at > 0 && /^#[0-9]+$/.test(id.slice(at)) ? id.slice(0, at) : id;
}

/** The receipt's open layers: its own and, for a line of serials at several costs, `<id>#n`. */
export function receiptLayers(state: State, receiptId: string): Layer[] {
  const own = state.layers.get(receiptId);
  const layers = own?.kind === 'receipt' ? [own] : [];
  if (own === undefined || own.lot !== undefined || own.serials)
    for (const l of state.layers.toArray())
      if (l.id !== receiptId && l.kind === 'receipt' && layerOwner(l.id) === receiptId) layers.push(l);
  return layers;
}

/**
 * Opens the layers of a line of serials that each carry their own cost: one layer per cost, in
 * the order the serials are named (the first under `id`, the next `<id>#2`…), each valued at its
 * serials' sum, so each serial leaves again at exactly its own cost.
 */
export function openSerialLayers(
  state: State,
  id: string,
  kind: LayerKind,
  date: string,
  costs: ReadonlyMap<string, Dec>,
): void {
  const groups = new Map<string, { cost: Dec; serials: string[] }>();
  for (const [serial, cost] of costs) {
    const key = cost.toString();
    const group = groups.get(key) ?? { cost, serials: [] };
    group.serials.push(serial);
    groups.set(key, group);
  }
  let n = 0;
  for (const { cost, serials } of groups.values()) {
    n++;
    const qty = dec(String(serials.length));
    const named: Named = serials.length === 1 ? { lot: serials[0]! } : { serials };
    openLayer(state, n === 1 ? id : `${id}#${n}`, kind, date, qty, cost.times(qty), named);
  }
}

/** The serials' costs as the engine keeps them, in the order the step names the serials. */
export function costsOf(
  serials: readonly string[],
  costs: ReadonlyMap<string, Dec>,
): Map<string, Dec> | undefined {
  if (!serials.every((s) => costs.has(s))) return undefined;
  return new Map(serials.map((s) => [s, costs.get(s)!]));
}

/** Closes every open layer (a count replaces them). */
export function closeAllLayers(state: State): void {
  for (const layer of state.layers.toArray()) closeLayer(state, layer);
}

/**
 * Takes `qty` units out of one layer and returns their value: a proportional share, or the whole
 * remaining value when the layer empties (so no rounding residue is ever left behind).
 */
export function takeFromLayer(state: State, layer: Layer, qty: Dec): Dec {
  let value = ZERO;
  if (isLayered(state.method)) {
    state.lastCost = { value: layer.value, qty: layer.qty };
    value = state.money.share(layer.value, qty, layer.qty);
    layer.value = layer.value.minus(value);
  }
  layer.qty = layer.qty.minus(qty);
  if (layer.qty.eq(ZERO)) closeLayer(state, layer);
  return value;
}

/**
 * Takes up to `qty` units from the open layers, oldest first (FIFO, and the quantity tracking of
 * average and standard) or newest first (LIFO). Returns the value taken (zero when not valued).
 */
export function takeFromLayers(state: State, qty: Dec): Dec {
  const fromBack = state.method === 'lifo';
  let need = qty;
  let value = ZERO;
  while (need.gt(ZERO)) {
    const layer = fromBack ? state.layers.back() : state.layers.front();
    if (!layer) break;
    const take = min(layer.qty, need);
    value = value.plus(takeFromLayer(state, layer, take));
    need = need.minus(take);
  }
  return value;
}

export function openLayer(
  state: State,
  id: string,
  kind: LayerKind,
  date: string,
  qty: Dec,
  value: Dec,
  named?: Named,
): void {
  const layer: Layer = { id, kind, date, qty, value: isLayered(state.method) ? value : ZERO };
  if (named?.lot !== undefined) layer.lot = named.lot;
  if (named?.serials !== undefined) layer.serials = [...named.serials];
  state.layers.push(layer);
}

/** Units of a serial or batch in one layer: all of a batch's (or one serial's) layer, one of a line of serials. */
function unitsIn(layer: Layer, lot: string): Dec {
  if (layer.lot === lot) return layer.qty;
  return layer.serials?.includes(lot) ? ONE : ZERO;
}

/** Takes serials out of a layer's list (the caller takes their units). */
export function dropSerials(layer: Layer, serials: readonly string[]): void {
  if (layer.serials) layer.serials = layer.serials.filter((s) => !serials.includes(s));
}

/** Units of one serial or batch on hand (specific identification). */
export function lotQty(state: State, lot: string): Dec {
  let qty = ZERO;
  for (const layer of state.layers.toArray()) qty = qty.plus(unitsIn(layer, lot));
  return qty;
}

/**
 * Takes `qty` units of one serial or batch, from its oldest layers first; returns their value. A
 * serial of a line of several leaves at its layer's value per unit (landed cost included).
 */
export function takeFromLot(state: State, lot: string, qty: Dec): Dec {
  let need = qty;
  let value = ZERO;
  for (const layer of state.layers.toArray()) {
    if (need.eq(ZERO)) break;
    const units = unitsIn(layer, lot);
    if (units.eq(ZERO)) continue;
    const take = min(units, need);
    if (layer.lot !== lot) dropSerials(layer, [lot]);
    value = value.plus(takeFromLayer(state, layer, take));
    need = need.minus(take);
  }
  return value;
}

/**
 * Takes what a step names: `qty` units of its lot, or each of its serials wherever it was received.
 * Returns their value and, for serials, each one's cost (they sum to the value).
 */
export function takeNamed(
  state: State,
  named: Named,
  qty: Dec,
): { value: Dec; serialCosts?: Map<string, Dec> } {
  if (named.lot !== undefined) return { value: takeFromLot(state, named.lot, qty) };
  const serialCosts = new Map<string, Dec>();
  let value = ZERO;
  for (const serial of named.serials) {
    const cost = takeFromLot(state, serial, ONE);
    serialCosts.set(serial, cost);
    value = value.plus(cost);
  }
  return { value, serialCosts };
}

/**
 * Arriving units first fill the issues made below zero, oldest first. Each filled part is costed at
 * the arrival's cost and the difference from its provisional cost is booked as a correction of that
 * original issue's COGS. Returns the units (and their value) left over for stock.
 */
export function settlePending(
  state: State,
  posting: Posting,
  qty: Dec,
  value: Dec,
): { qty: Dec; value: Dec } {
  let restQty = qty;
  let restValue = value;
  while (restQty.gt(ZERO) && state.pending.length > 0) {
    const p = state.pending[0]!;
    const n = min(p.qty, restQty);
    const actual = state.money.share(restValue, n, restQty);
    const provisional = state.money.share(p.value, n, p.qty);
    const correction = actual.minus(provisional);
    posting.post('negative_correction', { stock: correction.neg(), cogs: correction }, p.issue.issueId);
    p.issue.corrections.push({ id: posting.id, date: posting.date, amount: correction });
    p.issue.pendingQty = p.issue.pendingQty.minus(n);
    posting.touchIssue(p.issue);
    p.qty = p.qty.minus(n);
    p.value = p.value.minus(provisional);
    restQty = restQty.minus(n);
    restValue = restValue.minus(actual);
    if (p.qty.eq(ZERO)) {
      state.pending.shift();
      if (!state.keepHistory) state.issues.delete(p.issue.issueId);
    }
  }
  return { qty: restQty, value: restValue };
}

/**
 * The unit cost of units issued below zero, as a fraction value ÷ qty, and where it came from: the
 * last known unit cost; with no cost history, the item's cost price, then the last purchase price
 * the caller knows, then zero (the caller is warned).
 */
export function fallbackCost(
  state: State,
  lastPurchasePrice: Dec | null,
): { value: Dec; qty: Dec; source: CostSource } {
  if (state.lastCost) return { ...state.lastCost, source: 'last_cost' };
  if (state.standardPrice) return { value: state.standardPrice, qty: ONE, source: 'cost_price' };
  if (lastPurchasePrice) return { value: lastPurchasePrice, qty: ONE, source: 'last_purchase_price' };
  return { value: ZERO, qty: ONE, source: 'zero' };
}

/**
 * Issues `qty` units below zero, costed provisionally at the fallback cost, and remembers them
 * until stock arrives. Returns the provisional cost.
 */
export function issueBelowZero(state: State, issue: IssueRec, qty: Dec, unit: { value: Dec; qty: Dec }): Dec {
  const value = state.money.mulDiv(qty, unit.value, unit.qty);
  state.pending.push({ issue, qty, value });
  return value;
}

/** Under standard cost the value on hand is always round(qty × standard price). */
export function standardValue(state: State, qty: Dec): Dec {
  return state.money.round(qty.times(state.standardPrice!));
}
