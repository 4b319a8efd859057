// Turns a plugin UI token into a principal, checking on every request what may have changed since
// it was minted: the session (signed out, revoked, user disabled) and the plugin's installation
// (disabled, uninstalled, moved to another version). Both answers come from caches that commits
// drop on every instance (session.revoked, plugin.changed signals), so revocation is immediate.
// The principal's scopes are the permissions the token carries; the authorizer intersects them
// with the user's grants as they are now, so a role taken away also applies at once.
import { unauthenticated } from '../http/index.js';
import type { Principal } from '../principal/index.js';
import type { PluginUiTokens } from './tokens.js';

interface SessionState {
  isActive(tenantId: string, sessionId: string): Promise<boolean>;
}
interface InstallationState {
  forTenant(tenantId: string): Promise<Map<string, { status: string; version: string }>>;
}

export class PluginUiAuth {
  constructor(
    private readonly tokens: PluginUiTokens,
    private readonly sessions: SessionState,
    private readonly installations: InstallationState,
  ) {}

  async authenticate(token: string): Promise<Principal> {
    const c = await this.tokens.verify(token);
    if (!(await this.sessions.isActive(c.tenantId, c.sessionId)))
      throw unauthenticated('The session has been revoked or the account disabled.', 'ERP_TOKEN_REVOKED');
    const inst = (await this.installations.forTenant(c.tenantId)).get(c.pluginId);
    if (inst?.status !== 'enabled' || inst.version !== c.version) {
      throw unauthenticated(
        `${c.pluginId} ${c.version} is no longer enabled for this tenant.`,
        'ERP_PLUGIN_TOKEN_REVOKED',
      );
    }
    return {
      kind: 'user',
      tenantId: c.tenantId,
      userId: c.userId,
      apiKeyId: null,
      sessionId: c.sessionId,
      scopes: c.permissions,
      plugin: { id: c.pluginId, version: c.version, kernelRoutes: c.kernelRoutes },
    };
  }
}
