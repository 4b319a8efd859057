// Which event types an endpoint's patterns select (pure function, no kernel needed).
import { describe, expect, it } from 'vitest';
import { wants } from '../src/webhooks/patterns.js';

describe('webhook patterns', () => {
  it('matches by prefix wildcard, never kernel events, and bulk protocol events only by name', () => {
    expect(wants(['warehouses.stock.*'], 'warehouses.stock.received')).toBe(true);
    expect(wants(['warehouses.stock.*'], 'warehouses.stockx.received')).toBe(false);
    expect(wants(['warehouses.*'], 'warehouses.stock.received')).toBe(true);
    expect(wants(['*'], 'costing.issue.costed')).toBe(true);
    expect(wants(['*'], 'kernel.plugin.changed')).toBe(false);
    expect(wants(['*'], 'integrations.import.batch')).toBe(false);
    expect(wants(['warehouses.*'], 'warehouses.export.page')).toBe(false);
    expect(wants(['warehouses.import.applied'], 'warehouses.import.applied')).toBe(true);
    expect(wants(['*'], 'integrations.export.completed')).toBe(true);
  });
});
