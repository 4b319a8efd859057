// Open layers in arrival order. FIFO consumes from the front and LIFO from the back, both in O(1);
// a vendor return takes from its own receipt's layer wherever it sits (a splice, and rare).
import type { Dec } from './decimal.js';
import type { LayerKind } from './types.js';

export interface Layer {
  /** The receipt or customer return that opened the layer. */
  readonly id: string;
  readonly kind: LayerKind;
  readonly date: string;
  qty: Dec;
  /** Remaining value under FIFO, LIFO and specific; unused (zero) under average and standard. */
  value: Dec;
  /** Specific identification: the serial or batch (kept under other methods, unused there). */
  lot?: string;
  /**
   * Specific identification, a line of several serials: those still on hand, one unit each
   * (`qty` is their count). They share the layer's value per unit, as a batch's units do, so a
   * landed cost or revaluation capitalised into the layer follows each serial.
   */
  serials?: string[];
}

export class LayerQueue {
  private items: (Layer | undefined)[] = [];
  private head = 0;
  private readonly byId = new Map<string, Layer>();

  get size(): number {
    return this.items.length - this.head;
  }

  /** The i-th open layer in arrival order. */
  at(i: number): Layer {
    return this.items[this.head + i]!;
  }

  get(id: string): Layer | undefined {
    return this.byId.get(id);
  }

  front(): Layer | undefined {
    return this.items[this.head];
  }

  back(): Layer | undefined {
    return this.size > 0 ? this.items[this.items.length - 1] : undefined;
  }

  push(layer: Layer): void {
    this.items.push(layer);
    this.byId.set(layer.id, layer);
  }

  remove(layer: Layer): void {
    this.byId.delete(layer.id);
    if (this.items[this.head] === layer) {
      this.items[this.head] = undefined;
      this.head++;
      // Drop the consumed prefix once it is most of the array, so memory follows open layers.
      if (this.head > 64 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
    } else if (this.items[this.items.length - 1] === layer) {
      this.items.pop();
    } else {
      this.items.splice(this.items.indexOf(layer, this.head), 1);
    }
  }

  toArray(): Layer[] {
    return this.items.slice(this.head) as Layer[];
  }
}
