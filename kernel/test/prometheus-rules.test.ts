// The Prometheus rules in deploy/prometheus/rules.yml against the kernel that serves the metrics:
// every expression parses with the PromQL grammar of Prometheus's own UI (@prometheus-io/lezer-promql;
// no PromQL evaluator exists on npm, so the expressions are parsed, not evaluated), every metric a
// rule reads is served by a real kernel's /metrics (or recorded by another rule, or is Prometheus's
// own `up`), with the labels the rule matches on, and every alert has a severity, a summary and a
// runbook line in deploy/README.md's Observability section.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parser } from '@prometheus-io/lezer-promql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createTenant, startTestKernel, type TestKernel } from './support/harness.js';
import { pluginFolder, writePluginVersion } from './support/plugins.js';
import { families } from './support/prometheus.js';

const deploy = (rel: string) => fileURLToPath(new URL(`../../deploy/${rel}`, import.meta.url));
const TOKEN = 'rules-scrape-token-0123456789';
/** Series Prometheus adds to every target itself. */
const FROM_PROMETHEUS = new Set(['up']);

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface Selector {
  metric: string;
  labels: string[];
}

/** Parses a PromQL expression; returns its syntax errors and the vector selectors it reads. */
function promql(expr: string): { errors: string[]; selectors: Selector[] } {
  const errors: string[] = [];
  const selectors: Selector[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError)
        errors.push(`at ${node.from}: ${JSON.stringify(expr.slice(node.from, node.from + 30))}`);
      if (node.name !== 'VectorSelector') return;
      const id = node.node.getChild('Identifier');
      const labels: string[] = [];
      const matchers = node.node.getChild('LabelMatchers');
      for (let m = matchers?.firstChild; m; m = m.nextSibling) {
        const name = m.getChild('LabelName');
        if (name) labels.push(expr.slice(name.from, name.to));
      }
      if (id) selectors.push({ metric: expr.slice(id.from, id.to), labels });
    },
  });
  return { errors, selectors };
}

describe('Prometheus rules (deploy/prometheus/rules.yml)', () => {
  const doc = parseYaml(readFileSync(deploy('prometheus/rules.yml'), 'utf8')) as {
    groups: Array<{ name: string; interval?: string; rules: Rule[] }>;
  };
  const rules = doc.groups.flatMap((g) => g.rules);
  const recorded = new Set(rules.flatMap((r) => (r.record ? [r.record] : [])));
  /** Label names of each series the kernel serves, by series name. */
  const served = new Map<string, Set<string>>();
  let k: TestKernel;
  const folder = pluginFolder();
  writePluginVersion(folder.root, { id: 'slo', version: '1.0.0' });

  beforeAll(async () => {
    k = await startTestKernel({ ERP_PLUGIN_PATH: folder.root, ERP_METRICS_TOKEN: TOKEN });
    const t = await createTenant(k);
    const installed = await k.app.inject({
      method: 'POST',
      url: '/api/v1/plugins/installations',
      headers: { authorization: t.auth },
      payload: { plugin: 'slo' },
    });
    expect(installed.statusCode, installed.body).toBe(201);
    // A plugin route and a failing one, so the request histogram has series of both.
    for (const url of ['/api/v1/p/slo/items', '/api/v1/p/slo/nope'])
      await k.app.inject({ method: 'GET', url, headers: { authorization: t.auth } });
    const res = await k.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.statusCode).toBe(200);
    for (const [name, f] of families(res.body)) {
      const labels = served.get(name) ?? new Set<string>();
      served.set(name, labels);
      for (const s of f.metrics) for (const l of Object.keys(s.labels ?? {})) labels.add(l);
    }
  });
  afterAll(async () => {
    await k?.close();
    folder.cleanup();
  });

  it('are well-formed rule groups', () => {
    expect(doc.groups.length).toBeGreaterThan(0);
    const names = new Set<string>();
    for (const g of doc.groups) {
      expect(g.name).toMatch(/^[a-z0-9-]+$/);
      expect(names.has(g.name), `group ${g.name} twice`).toBe(false);
      names.add(g.name);
      for (const r of g.rules) {
        expect(Boolean(r.record) !== Boolean(r.alert), JSON.stringify(r)).toBe(true);
        expect(typeof r.expr).toBe('string');
        if (r.record) expect(r.record).toMatch(/^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$/);
        if (r.for) expect(r.for).toMatch(/^\d+[smhd]$/);
        if (r.alert) {
          expect(r.alert).toMatch(/^Erp[A-Za-z]+$/);
          expect(['page', 'ticket']).toContain(r.labels?.severity);
          expect(r.annotations?.summary).toBeTruthy();
          expect(r.annotations?.runbook).toContain(r.alert);
        }
      }
    }
    expect(recorded.size).toBe(rules.filter((r) => r.record).length);
  });

  it('parse as PromQL', () => {
    for (const r of rules) expect(promql(r.expr).errors, `${r.record ?? r.alert}: ${r.expr}`).toEqual([]);
    // The parser is not lenient: a broken expression is reported.
    expect(promql('sum(rate(erp_queue_depth[5m])').errors).not.toEqual([]);
    expect(promql('erp_queue_depth{queue=}').errors).not.toEqual([]);
  });

  it('read only metrics the kernel serves, with the labels they have', () => {
    expect(served.size).toBeGreaterThan(20);
    const missing: string[] = [];
    for (const r of rules)
      for (const s of promql(r.expr).selectors) {
        if (recorded.has(s.metric) || FROM_PROMETHEUS.has(s.metric)) continue;
        const labels = served.get(s.metric);
        if (!labels) missing.push(`${r.record ?? r.alert}: ${s.metric}`);
        else
          for (const l of s.labels)
            if (!labels.has(l)) missing.push(`${r.record ?? r.alert}: ${s.metric} has no label ${l}`);
      }
    expect(missing).toEqual([]);
  });

  it('cover availability and latency per route class, the bus, dead letters, the sealer and the pools', () => {
    const alerts = rules.flatMap((r) => (r.alert ? [r] : []));
    const reads = (metric: string) =>
      alerts
        .filter((a) => promql(a.expr).selectors.some((s) => s.metric.startsWith(metric)))
        .map((a) => a.alert);
    expect(reads('erp:http_errors:ratio_rate')).toEqual([
      'ErpAvailabilityBurnFast',
      'ErpAvailabilityBurnSlow',
    ]);
    expect(reads('erp:http_slow:ratio_rate')).toEqual(['ErpLatencyBurnFast', 'ErpLatencyBurnSlow']);
    // Multi-window: each burn-rate alert compares a long and a short window of the same ratio.
    for (const a of alerts.filter((x) => x.labels?.slo)) {
      const windows = promql(a.expr).selectors.map((s) => s.metric.split('_rate').pop());
      expect(new Set(windows).size, a.alert).toBe(4);
    }
    for (const m of [
      'erp:queue_oldest_age_seconds:max',
      'erp:queue_depth:max',
      'erp_audit_sealer',
      'erp:db_pool',
    ])
      expect(reads(m).length, m).toBeGreaterThan(0);
    const readme = readFileSync(deploy('README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Observability'));
    expect(section.length).toBeLessThan(readme.length);
    for (const a of alerts) expect(section, `runbook line for ${a.alert}`).toContain(`\`${a.alert}\``);
  });
});
