// The rules every rendered workload must keep, as a list of violations (empty: compliant). Written
// as data checks rather than assertions so the tests can also show that a bad manifest is caught.
import type { Manifest } from './kubernetes.js';

/** Variables that are secrets: only ever from a Secret, never a value in a manifest. */
export const SECRET_VARIABLES = [
  'DATABASE_URL',
  'DATABASE_APP_URL',
  'ERP_SECRET_KEY',
  'ERP_AUDIT_SIGNING_KEY',
  'ERP_METRICS_TOKEN',
  'ERP_SMTP_URL',
];

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']);

// biome-ignore lint/suspicious/noExplicitAny: pod specs are walked generically
function podSpec(m: Manifest): any {
  return m.kind === 'CronJob' ? m.spec?.jobTemplate?.spec?.template?.spec : m.spec?.template?.spec;
}

export function violations(manifests: Manifest[]): string[] {
  const out: string[] = [];
  for (const m of manifests) {
    const id = `${m.kind}/${m.metadata.name}`;
    if (m.kind === 'Secret')
      out.push(`${id}: secret values in a manifest (reference a Secret made elsewhere)`);
    if (m.kind === 'ConfigMap')
      for (const key of Object.keys(m.data ?? {}))
        if (SECRET_VARIABLES.includes(key)) out.push(`${id}: secret ${key} in a ConfigMap`);
    if (!WORKLOADS.has(m.kind)) continue;
    const pod = podSpec(m);
    if (pod?.securityContext?.runAsNonRoot !== true) out.push(`${id}: runAsNonRoot is not true`);
    if (pod?.securityContext?.runAsUser === 0) out.push(`${id}: runs as user 0`);
    if (pod?.automountServiceAccountToken !== false) out.push(`${id}: mounts a service account token`);
    if (pod?.hostNetwork || pod?.hostPID || pod?.hostIPC) out.push(`${id}: shares a host namespace`);
    for (const c of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]) {
      const cid = `${id} container ${c.name}`;
      const sc = c.securityContext ?? {};
      if (sc.privileged) out.push(`${cid}: privileged`);
      if (sc.runAsUser === 0) out.push(`${cid}: runs as user 0`);
      if (sc.allowPrivilegeEscalation !== false) out.push(`${cid}: allowPrivilegeEscalation is not false`);
      if (sc.readOnlyRootFilesystem !== true) out.push(`${cid}: root filesystem is writable`);
      if (!sc.capabilities?.drop?.includes('ALL')) out.push(`${cid}: capabilities not dropped (ALL)`);
      if (sc.capabilities?.add?.length) out.push(`${cid}: adds capabilities`);
      for (const kind of ['requests', 'limits'])
        for (const resource of ['cpu', 'memory'])
          if (!c.resources?.[kind]?.[resource]) out.push(`${cid}: no ${resource} ${kind.slice(0, -1)}`);
      if (!/:[\w.-]+$|@sha256:[0-9a-f]{64}$/.test(c.image ?? '') || /:latest$/.test(c.image))
        out.push(`${cid}: image ${c.image} is not pinned to a tag or digest`);
      for (const e of c.env ?? [])
        if (SECRET_VARIABLES.includes(e.name) && e.value !== undefined)
          out.push(`${cid}: secret ${e.name} given as a value`);
      // Long-running containers are probed; a Job's container runs to completion.
      if (m.kind !== 'Job' && m.kind !== 'CronJob')
        for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe'])
          if (!c[probe]) out.push(`${cid}: no ${probe}`);
    }
  }
  return out;
}
