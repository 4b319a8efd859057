// The Kubernetes manifests (deploy/kubernetes): every overlay renders, every object is valid
// against the Kubernetes OpenAPI schemas (and the CRDs' own), and keeps the security and
// availability rules the platform relies on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@erp/kernel';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl, type Manifest, render, validate } from './support/kubernetes.js';
import { KUBERNETES_DIR, REPO_DIR } from './support/paths.js';
import { SECRET_VARIABLES, violations } from './support/policy.js';

const OVERLAYS = ['dev', 'staging', 'production'] as const;
const rendered = new Map<string, Manifest[]>();

// Rendering needs kubectl (kustomize): without it the suite is reported skipped, as the NATS suites
// are without NATS (.ci/run's machine has it).
if (!hasKubectl) console.warn('kubectl not found: the Kubernetes manifests are not rendered or checked');

beforeAll(() => {
  if (!hasKubectl) return;
  for (const overlay of OVERLAYS) rendered.set(overlay, render(join(KUBERNETES_DIR, 'overlays', overlay)));
});

const find = (overlay: string, kind: string, name: string) => {
  const m = rendered.get(overlay)!.find((x) => x.kind === kind && x.metadata.name === name);
  if (!m) throw new Error(`${overlay}: no ${kind}/${name}`);
  return m;
};

describe.skipIf(!hasKubectl).each(OVERLAYS)('overlay %s', (overlay) => {
  it('renders every object the platform needs, each valid against its schema', async () => {
    const manifests = rendered.get(overlay)!;
    const kinds = new Set(manifests.map((m) => m.kind));
    for (const kind of [
      'Deployment',
      'Service',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
      'NetworkPolicy',
      'Ingress',
      'Job',
      'ServiceMonitor',
      'ConfigMap',
      'ServiceAccount',
      'PersistentVolumeClaim',
    ])
      expect(kinds, kind).toContain(kind);
    const errors: string[] = [];
    for (const m of manifests) await validate(m).catch((err: Error) => errors.push(err.message));
    expect(errors).toEqual([]);
    expect(new Set(manifests.map((m) => m.metadata.namespace ?? ''))).toEqual(
      new Set([overlay === 'production' ? 'erp' : `erp-${overlay}`]),
    );
  });

  it('runs nothing as root, with a read-only root filesystem, no capabilities, limits and probes', () => {
    expect(violations(rendered.get(overlay)!)).toEqual([]);
  });

  it("probes the kernel's health routes and takes secrets only from Secret erp-secrets", () => {
    const routes = readFileSync(join(REPO_DIR, 'kernel/src/health/routes.ts'), 'utf8');
    const kernel = find(overlay, 'Deployment', 'erp-kernel').spec.template.spec.containers[0];
    for (const [probe, path] of [
      ['startupProbe', '/health/live'],
      ['readinessProbe', '/health/ready'],
      ['livenessProbe', '/health/live'],
    ] as const) {
      expect(kernel[probe].httpGet.path).toBe(path);
      expect(routes).toContain(`url: '${path}'`);
    }
    expect(kernel.args).toEqual(['start']);
    expect(kernel.envFrom).toContainEqual({ secretRef: { name: 'erp-secrets' } });
    const job = find(overlay, 'Job', 'erp-migrate').spec.template.spec.containers[0];
    expect(job.args).toEqual(['migrate']);
    expect(job.envFrom).toContainEqual({ secretRef: { name: 'erp-secrets' } });
  });

  it('keeps replicas available: PDB and HPA (CPU and request rate) select the kernel, spread over nodes', () => {
    const deployment = find(overlay, 'Deployment', 'erp-kernel');
    const podLabels = deployment.spec.template.metadata.labels;
    const pdb = find(overlay, 'PodDisruptionBudget', 'erp-kernel');
    for (const [k, v] of Object.entries(pdb.spec.selector.matchLabels)) expect(podLabels[k]).toBe(v);
    const hpa = find(overlay, 'HorizontalPodAutoscaler', 'erp-kernel');
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'erp-kernel' });
    expect(hpa.spec.metrics.map((x: { type: string }) => x.type).sort()).toEqual(['Pods', 'Resource']);
    expect(hpa.spec.minReplicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
    if (overlay === 'production') expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(3);
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    expect(
      deployment.spec.template.spec.affinity.podAntiAffinity
        .preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey,
    ).toBe('kubernetes.io/hostname');
    // The drain (kernel: 15 s after SIGTERM) fits in the grace period after preStop's pause.
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(5 + 15);
  });

  it('lets the kernel reach only DNS, PostgreSQL, NATS and the registry; scrapes /metrics with the token', () => {
    const policy = find(overlay, 'NetworkPolicy', 'erp-kernel');
    const ports = policy.spec.egress.flatMap((rule: { ports: { port: number }[] }) =>
      rule.ports.map((p) => p.port),
    );
    expect([...new Set(ports)].sort()).toEqual([4222, 4873, 53, 5432].sort());
    expect(find(overlay, 'NetworkPolicy', 'erp-default-deny').spec.policyTypes).toEqual([
      'Ingress',
      'Egress',
    ]);
    const monitor = find(overlay, 'ServiceMonitor', 'erp-kernel');
    const service = find(overlay, 'Service', 'erp-kernel');
    for (const [k, v] of Object.entries(monitor.spec.selector.matchLabels))
      expect(service.metadata.labels?.[k]).toBe(v);
    expect(monitor.spec.endpoints[0]).toMatchObject({
      path: '/metrics',
      port: service.spec.ports[0].name,
      authorization: { type: 'Bearer', credentials: { name: 'erp-secrets', key: 'ERP_METRICS_TOKEN' } },
    });
    const ingress = find(overlay, 'Ingress', 'erp');
    expect(ingress.spec.tls[0].hosts).toContain(ingress.spec.rules[0].host);
  });

  it("passes the kernel's production checks with the ConfigMap and a Secret of the documented shape", () => {
    const data = find(overlay, 'ConfigMap', 'erp-config').data as Record<string, string>;
    const secret = {
      DATABASE_URL: 'postgres://erp:pw@db.internal:5432/erp?sslmode=verify-full',
      ERP_SECRET_KEY: 'k'.repeat(48),
      ERP_AUDIT_SIGNING_KEY: Buffer.alloc(32, 7).toString('base64'),
      ERP_METRICS_TOKEN: 't'.repeat(32),
    };
    expect(() => loadConfig({ ...data, ...secret })).not.toThrow();
    // And the checks bite: the same without TLS to the database is refused, naming the variable.
    expect(() =>
      loadConfig({ ...data, ...secret, DATABASE_URL: 'postgres://erp:pw@db.internal:5432/erp' }),
    ).toThrow(/DATABASE_URL/);
  });
});

it.skipIf(!hasKubectl)(
  'the production overlay takes erp-secrets from the secret store, with every secret variable the kernel reads',
  () => {
    const external = find('production', 'ExternalSecret', 'erp-secrets');
    expect(external.spec.target.name).toBe('erp-secrets');
    const keys = external.spec.data.map((d: { secretKey: string }) => d.secretKey);
    for (const key of ['DATABASE_URL', 'ERP_SECRET_KEY', 'ERP_AUDIT_SIGNING_KEY', 'ERP_METRICS_TOKEN'])
      expect(keys).toContain(key);
    for (const key of keys) expect(SECRET_VARIABLES).toContain(key);
  },
);

it.skipIf(!hasKubectl)(
  'the checks catch what they are for: an invalid object and a workload that breaks the rules',
  async () => {
    const deployment = structuredClone(find('production', 'Deployment', 'erp-kernel'));
    deployment.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    await expect(validate(deployment)).rejects.toThrow(/containerPort must be integer/);
    await expect(validate({ ...deployment, kind: 'NoSuchKind' })).rejects.toThrow(/no schema/);
    const bad = structuredClone(find('production', 'Deployment', 'erp-kernel'));
    const c = bad.spec.template.spec.containers[0];
    c.securityContext = { privileged: true };
    delete c.resources.limits;
    delete c.readinessProbe;
    c.image = 'registry.example.com/erp/kernel:latest';
    c.env = [{ name: 'ERP_SECRET_KEY', value: 'x' }];
    expect(violations([bad]).map((v) => v.replace(/^.*: /, ''))).toEqual(
      expect.arrayContaining([
        'privileged',
        'root filesystem is writable',
        'capabilities not dropped (ALL)',
        'no cpu limit',
        'no readinessProbe',
        'image registry.example.com/erp/kernel:latest is not pinned to a tag or digest',
        'secret ERP_SECRET_KEY given as a value',
      ]),
    );
  },
);
