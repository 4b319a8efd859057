// What the marketplace API answers (kernel/src/catalogue/schemas.ts) and the consent screen built
// from an install preview: every permission and capability granted, what is new on an upgrade,
// the publisher and signature status, where the plugin would run and what it pulls in.

import { html, nothing } from 'lit';
import { capabilityText } from '../ui/capability.js';

export type SignatureStatus = 'verified' | 'unsigned' | 'unknown-key' | 'expired' | 'revoked' | 'invalid';
export interface Publisher {
  owner: string | null;
  keyid: string | null;
  status: SignatureStatus;
  reason?: string;
}
export interface Summary {
  package: string;
  id: string;
  displayName?: string;
  description?: string;
  latest: string;
  compatible?: boolean;
  deprecated?: string | null;
  publisher: Publisher;
}
export interface VersionInfo {
  version: string;
  deprecated: string | null;
  yanked: boolean;
  kernelRange?: string | null;
  compatible: boolean;
  permissions?: Record<string, string>;
  capabilities?: string[];
  dependencies?: Record<string, string>;
  publishedAt?: string | null;
  publisher: Publisher;
  registrySignature?: 'verified' | 'missing' | 'invalid';
  invalid?: string | null;
}
export interface Details extends Summary {
  versions: VersionInfo[];
  readme: string | null;
}
export interface Preview {
  action: 'install' | 'upgrade';
  package: string;
  pluginId?: string;
  version: string;
  currentVersion?: string | null;
  integrity: string;
  deprecated?: string | null;
  consent: {
    permissions: string[];
    capabilities: string[];
    newPermissions: string[];
    newCapabilities: string[];
    descriptions?: Record<string, string>;
  };
  consentHash: string;
  publisher: Publisher;
  registrySignature?: string;
  runtime: 'in-process' | 'sandbox';
  dependencies: {
    package: string;
    range: string;
    requiredBy: string;
    resolved: string;
    action: 'satisfied' | 'install';
  }[];
}

export interface TrustPolicy {
  trustedPublishers: string[];
  allowUnsigned: boolean;
  allowUnknownPublishers: boolean;
}

const SIGNATURE_WORDS: Record<SignatureStatus, string> = {
  verified: 'signature verified',
  unsigned: 'unsigned',
  'unknown-key': 'signed with an unknown key',
  expired: 'signing key expired',
  revoked: 'signing key revoked',
  invalid: 'signature invalid',
};

export const publisherText = (p: Publisher) =>
  `${p.owner ?? 'unknown publisher'} · ${SIGNATURE_WORDS[p.status] ?? p.status}${p.reason ? ` (${p.reason})` : ''}`;

export function consentView(p: Preview) {
  const isNew = (list: string[], item: string) =>
    list.includes(item) ? html` <strong>(new)</strong>` : nothing;
  return html`<p>
      ${p.action === 'upgrade' ? `Upgrade from ${p.currentVersion} to` : 'Install'} <strong>${p.package}</strong>
      ${p.version}.
    </p>
    <p>Publisher: ${publisherText(p.publisher)}. It will run <strong>${p.runtime === 'sandbox' ? 'in the sandbox' : "in the kernel's process"}</strong>.</p>
    ${p.deprecated ? html`<p class="error">Deprecated: ${p.deprecated}</p>` : nothing}
    <p>Permissions it defines (grant them through roles):</p>
    <ul data-testid="consent-permissions">
      ${
        p.consent.permissions.length
          ? p.consent.permissions.map(
              (x) =>
                html`<li><code>${x}</code>${p.consent.descriptions?.[x] ? `: ${p.consent.descriptions[x]}` : ''}${isNew(p.consent.newPermissions, x)}</li>`,
            )
          : html`<li>none</li>`
      }
    </ul>
    <p>Capabilities it asks for:</p>
    <ul>
      ${
        p.consent.capabilities.length
          ? p.consent.capabilities.map(
              (x) =>
                html`<li><code>${x}</code>: ${capabilityText(x)}${isNew(p.consent.newCapabilities, x)}</li>`,
            )
          : html`<li>none</li>`
      }
    </ul>
    ${
      p.dependencies.length
        ? html`<p>Dependencies:</p>
            <ul>
              ${p.dependencies.map(
                (d) =>
                  html`<li>${d.package} ${d.range} → ${d.resolved} (${d.action === 'install' ? 'will be installed' : 'already installed'})</li>`,
              )}
            </ul>`
        : nothing
    }
    <p class="muted mono">integrity ${p.integrity}</p>`;
}
