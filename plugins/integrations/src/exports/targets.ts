// Export targets: records a plugin sends page by page when asked (integrations.export.requested),
// with the columns of the file and the filter it understands.
export interface ExportTarget {
  name: string;
  plugin: string;
  columns: string[];
  filter: Record<string, unknown>;
}

export const EXPORT_TARGETS: readonly ExportTarget[] = [
  {
    name: 'warehouses.items',
    plugin: 'warehouses',
    columns: ['id', 'sku', 'name', 'uom', 'qtyScale', 'tracking', 'active'],
    filter: {
      type: 'object',
      additionalProperties: false,
      properties: {
        search: { type: 'string', maxLength: 200, description: 'Part of the SKU or name' },
        tracking: { type: 'string', enum: ['none', 'lot', 'serial'] },
        active: { type: 'boolean' },
      },
    },
  },
];

export const findExportTarget = (name: string) => EXPORT_TARGETS.find((t) => t.name === name);
