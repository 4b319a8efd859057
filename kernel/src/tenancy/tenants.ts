// The tenant directory: resolves a slug (what a user types at login) to the tenant id.
import type pg from 'pg';

export interface TenantRecord {
  id: string;
  slug: string;
  name: string;
  status: 'active' | 'suspended';
}

export class Tenants {
  constructor(private readonly pool: pg.Pool) {}

  async bySlug(slug: string): Promise<TenantRecord | undefined> {
    const { rows } = await this.pool.query<TenantRecord>(
      'select id, slug, name, status from erp.tenants where slug = $1',
      [slug],
    );
    return rows[0];
  }
}
