import { describe, expect, it } from 'vitest';
import { ManifestError, parsePluginPackage } from '../src/index.js';

const valid = () => ({
  name: '@acme/erp-plugin-stock',
  version: '1.2.0',
  engines: { erp: '^0.1.0' },
  erp: {
    id: 'stock',
    displayName: 'Stock',
    trust: 'third-party',
    permissions: { 'stock.items.read': 'View' },
    capabilities: ['http:api.example.com', 'events:publish:item.*'],
    ui: {
      module: 'ui/x.js',
      elements: ['stock-list'],
      navigation: [{ label: 'Stock', path: '/stock', element: 'stock-list', permission: 'stock.items.read' }],
    },
  },
});

const fieldOf = (mutate: (p: ReturnType<typeof valid>) => void) => {
  const p = valid();
  mutate(p);
  try {
    parsePluginPackage(p);
  } catch (err) {
    expect(err).toBeInstanceOf(ManifestError);
    return (err as ManifestError).field;
  }
  return null;
};

describe('manifest validation', () => {
  it('accepts a complete manifest and fills defaults', () => {
    const pkg = parsePluginPackage(valid());
    expect(pkg.manifest).toMatchObject({ entry: 'src/index.ts', migrations: 'migrations' });
    expect(pkg.kernelRange).toBe('^0.1.0');
  });

  it('accepts http:* (any host the tenant names) but no other wildcard host', () => {
    expect(fieldOf((p) => p.erp.capabilities.push('http:*', 'events:subscribe:*'))).toBeNull();
    expect(fieldOf((p) => p.erp.capabilities.push('http:*.example.com'))).toBe('erp.capabilities.2');
  });

  it('accepts kernel-api: only for the kernel routes a plugin UI may be given', () => {
    expect(
      fieldOf((p) =>
        p.erp.capabilities.push('kernel-api:GET:/api/v1/auth/me', 'kernel-api:GET:/api/v1/iam/users/:id'),
      ),
    ).toBeNull();
    for (const asked of [
      'kernel-api:POST:/api/v1/iam/api-keys', // mints credentials
      'kernel-api:GET:/api/v1/iam/api-keys',
      'kernel-api:POST:/api/v1/ui/plugin-tokens',
      'kernel-api:GET:/api/v1/iam/users/x', // a path, not the route's template
      'kernel-api:GET:/api/v1/auth/me/', // nothing appended
      'kernel-api:get:/api/v1/auth/me',
    ]) {
      expect(
        fieldOf((p) => p.erp.capabilities.push(asked)),
        asked,
      ).toBe('erp.capabilities.2');
    }
  });

  it('names the field that is wrong', () => {
    expect(
      fieldOf((p) => {
        p.version = 'one';
      }),
    ).toBe('version');
    expect(
      fieldOf((p) => {
        p.engines.erp = 'soon';
      }),
    ).toBe('engines.erp');
    expect(
      fieldOf((p) => {
        (p.erp as Record<string, unknown>).id = 'Bad_Id';
      }),
    ).toBe('erp.id');
    expect(
      fieldOf((p) => {
        (p.erp as Record<string, unknown>).colour = 'red';
      }),
    ).toBe('erp.colour');
    expect(
      fieldOf((p) => {
        (p.erp as Record<string, unknown>).trust = 'maybe';
      }),
    ).toBe('erp.trust');
    expect(
      fieldOf((p) => {
        (p.erp as Record<string, unknown>).displayName = undefined;
      }),
    ).toBe('erp.displayName');
    expect(
      fieldOf((p) => {
        p.erp.permissions = { 'not a permission': 'x' } as never;
      }),
    ).toMatch(/^erp\.permissions/);
    expect(
      fieldOf((p) => {
        p.erp.capabilities = ['shell:rm'] as never;
      }),
    ).toBe('erp.capabilities.0');
    expect(
      fieldOf((p) => {
        (p.erp as Record<string, unknown>).dependencies = { other: 'not-a-range' };
      }),
    ).toBe('erp.dependencies.other');
    expect(
      fieldOf((p) => {
        p.erp.ui.navigation[0]!.element = 'stock-other';
      }),
    ).toBe('erp.ui.navigation.0.element');
  });
});

describe('import targets in the manifest', () => {
  const withImports = (imports: unknown) => (p: ReturnType<typeof valid>) => {
    (p.erp as Record<string, unknown>).imports = imports;
  };
  it('accepts targets with a title and a row schema, rollback defaulting to false', () => {
    const p = valid();
    withImports({
      entries: { title: 'Entries', schema: { type: 'object', properties: { a: { type: 'string' } } } },
    })(p);
    const pkg = parsePluginPackage(p);
    expect(pkg.manifest.imports?.entries).toMatchObject({ title: 'Entries', rollback: false });
  });
  it('names the field of a bad target', () => {
    expect(fieldOf(withImports({ entries: { title: 'Entries' } }))).toBe('erp.imports.entries.schema');
    expect(fieldOf(withImports({ Bad_Name: { title: 'x', schema: {} } }))).toMatch(/imports/);
  });
});
