// Child process: the bare baseline of request-path.bench.ts for the plugin route. Plain fastify +
// pg (pool 10, the cluster's superuser, the warehouses schema on the search path) running the two
// statements of the warehouses plugin's GET /stock (one item, grouped by location) together, as
// the plugin does: no auth, no transaction, no tenant, no role, no validation.
import Fastify from 'fastify';
import pg from 'pg';
import { failAsChild, serveAsChild } from '../support/child.js';

// Keep identical to 'GET /stock' in plugins/warehouses/src/ledger/routes.ts with groupBy=location.
const STOCK = `select s.item_id as "itemId", i.sku, i.name as "itemName", i.uom, s.warehouse_id as "warehouseId",
             w.code as "warehouseCode", s.location_id as "locationId", l.code_path as "locationCode", nullif(s.lot, '') as lot, trim_scale(sum(s.qty))::text as qty
           from (select item_id, warehouse_id, location_id, lot, qty from balances where $6::timestamptz is null) s join items i on i.id = s.item_id join warehouses w on w.id = s.warehouse_id
           join locations l on l.id = s.location_id
          where ($1::uuid is null or s.item_id = $1) and ($2::uuid is null or s.warehouse_id = $2)
            and ($3::uuid is null or s.location_id = $3 or ($4::text is not null and l.path like $4 || '%'))
            and ($5::text is null or s.lot = $5)
          group by s.item_id, i.sku, i.name, i.uom, s.warehouse_id, w.code, s.location_id, l.code_path, s.lot having sum(s.qty) <> 0
          order by i.sku, w.code, l.code_path, s.lot`;
const AT = 'select iso(coalesce($1::timestamptz, now())) as at';

try {
  const pool = new pg.Pool({
    connectionString: process.env.DATABASE_URL,
    max: 10,
    options: '-c search_path=p_warehouses,pg_catalog',
  });
  const app = Fastify({ logger: false });
  app.get<{ Querystring: { itemId?: string } }>('/stock', async (request) => {
    const itemId = request.query.itemId ?? null;
    const [stock, at] = await Promise.all([
      pool.query(STOCK, [itemId, null, null, null, null, null]),
      pool.query(AT, [null]),
    ]);
    return { asOf: at.rows[0].at, groupBy: 'location', stock: stock.rows };
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  serveAsChild(url, async () => {
    await app.close();
    await pool.end();
  });
} catch (err) {
  failAsChild(err);
}
