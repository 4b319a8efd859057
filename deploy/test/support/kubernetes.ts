// Renders a kustomization with kubectl (no cluster needed) and validates each object against the
// Kubernetes OpenAPI schemas, as compiled to ajv validators by kubernetes-models (and its packages
// for the prometheus-operator and external-secrets CRDs).
import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: manifests are walked generically by the policy checks
  spec?: any;
  // biome-ignore lint/suspicious/noExplicitAny: idem
  data?: any;
}

const kubectl = process.env.KUBECTL ?? 'kubectl';

/** Whether kubectl (which carries kustomize) is installed; without it nothing can be rendered. */
export const hasKubectl = spawnSync(kubectl, ['version', '--client'], { encoding: 'utf8' }).status === 0;

export function render(dir: string): Manifest[] {
  const r = spawnSync(kubectl, ['kustomize', dir], { encoding: 'utf8' });
  if (r.error || r.status !== 0)
    throw new Error(`${kubectl} kustomize ${dir} failed: ${r.error?.message ?? r.stderr.trim()}`);
  return parseAllDocuments(r.stdout).map((d) => d.toJS() as Manifest);
}

/** npm packages holding the models of API groups that are not Kubernetes' own. */
const CRD_MODELS: Record<string, string> = {
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
  'external-secrets.io': '@kubernetes-models/external-secrets',
};

interface Model {
  validate(): void;
}

/** Throws, naming the object and the schema errors, unless the object is valid. */
export async function validate(m: Manifest): Promise<void> {
  const group = m.apiVersion.includes('/') ? m.apiVersion.split('/')[0]! : '';
  const pkg = CRD_MODELS[group] ?? 'kubernetes-models';
  let ModelClass: new (data: unknown) => Model;
  try {
    ModelClass = (await import(`${pkg}/${m.apiVersion}/${m.kind}`))[m.kind];
  } catch {
    throw new Error(`${m.kind} ${m.metadata.name}: no schema for ${m.apiVersion} ${m.kind}`);
  }
  try {
    new ModelClass(m).validate();
  } catch (err) {
    throw new Error(`${m.kind} ${m.metadata.name}: ${(err as Error).message}`);
  }
}
