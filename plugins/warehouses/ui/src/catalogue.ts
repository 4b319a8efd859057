// The items and locations the forms offer, read once per element from the plugin's own API.

export interface Item {
  id: string;
  sku: string;
  name: string;
  uom: string;
  tracking: 'none' | 'lot' | 'serial';
  category?: string | null;
}
export interface Location {
  id: string;
  warehouseId: string;
  codePath: string;
  name: string;
}
export interface Warehouse {
  id: string;
  code: string;
  name: string;
}
export interface Catalogue {
  items: Item[];
  warehouses: Warehouse[];
  locations: Array<Location & { label: string }>;
}

/** Sent (bubbling, composed) after an item, warehouse or location is created: forms reload their lists. */
export const CATALOGUE_CHANGED = 'warehouses-catalogue-changed';

type Call = <T>(path: string) => Promise<T>;

export async function loadCatalogue(call: Call): Promise<Catalogue> {
  const [{ items }, { locations }, { warehouses }] = await Promise.all([
    call<{ items: Item[] }>('/api/v1/p/warehouses/items'),
    call<{ locations: Location[] }>('/api/v1/p/warehouses/locations'),
    call<{ warehouses: Warehouse[] }>('/api/v1/p/warehouses/warehouses'),
  ]);
  const code = new Map(warehouses.map((w) => [w.id, w.code]));
  return {
    items,
    warehouses,
    locations: locations.map((l) => ({ ...l, label: `${code.get(l.warehouseId) ?? '?'} / ${l.codePath}` })),
  };
}

export const itemOptions = (c: Catalogue | undefined) =>
  (c?.items ?? []).map((i) => ({ value: i.id, label: `${i.sku} — ${i.name}` }));
export const warehouseOptions = (c: Catalogue | undefined) =>
  (c?.warehouses ?? []).map((w) => ({ value: w.id, label: `${w.code} — ${w.name}` }));
export const locationOptions = (c: Catalogue | undefined) =>
  (c?.locations ?? []).map((l) => ({ value: l.id, label: l.label }));
