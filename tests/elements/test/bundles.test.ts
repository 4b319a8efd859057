// The plugins' browser modules are committed (so a fresh clone's `npm start` and the registry it
// seeds, which packs folders without running scripts, serve them as they are). This checks that
// each committed module is exactly what its sources build to now, and records the gzipped sizes
// of each module and of the chart library alone (artifacts/sizes.json).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, PLUGINS, pluginDir } from './support/paths.js';

const work = mkdtempSync(join(tmpdir(), 'erp-ui-build-'));
const sizes: Record<string, { bytes: number; gzip: number }> = {};
const measure = (buf: Buffer) => ({ bytes: buf.length, gzip: gzipSync(buf, { level: 9 }).length });

describe('plugin browser modules', () => {
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
    writeFileSync(join(ARTIFACTS, 'sizes.json'), `${JSON.stringify(sizes, null, 2)}\n`);
    console.log(
      Object.entries(sizes)
        .map(([k, v]) => `${k}: ${(v.gzip / 1024).toFixed(1)} KB gzipped (${(v.bytes / 1024).toFixed(1)} KB)`)
        .join('\n'),
    );
  });

  for (const id of PLUGINS) {
    it(`${id}: the committed module is what ui/src builds to`, async () => {
      const dir = pluginDir(id);
      const module: string = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).erp.ui.module;
      const outDir = join(work, id);
      await build({
        configFile: join(dir, 'ui', 'vite.config.ts'),
        configLoader: 'runner',
        logLevel: 'silent',
        build: { outDir },
      });
      const fresh = readFileSync(join(outDir, module.split('/').at(-1)!));
      const committed = readFileSync(join(dir, module));
      sizes[`${id} (${module})`] = measure(committed);
      expect(
        fresh.equals(committed),
        `${module} is stale: run "pnpm --filter @erp-plugin/${id} build:ui" and commit it`,
      ).toBe(true);
    });
  }

  it('measures the chart library alone (Chart.js as the costing report registers it)', async () => {
    const dir = pluginDir('costing');
    const outDir = join(work, 'chart');
    await build({
      configFile: join(dir, 'ui', 'vite.config.ts'),
      configLoader: 'runner',
      logLevel: 'silent',
      build: {
        outDir,
        lib: { entry: join(dir, 'ui', 'src', 'charts.ts'), formats: ['es'], fileName: () => 'charts.js' },
      },
    });
    const chart = measure(readFileSync(join(outDir, 'charts.js')));
    sizes['chart.js 4.6.1 (tree-shaken: line, bar, legend, tooltip)'] = chart;
    expect(chart.gzip).toBeGreaterThan(20_000);
  });
});
