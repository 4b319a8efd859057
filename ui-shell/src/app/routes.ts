// The shell's own pages: path, navigation label, the permission that shows the entry (the server
// checks again), and the module that defines the page's element, loaded on first visit so the
// shell's first load stays small. Plugin pages come from the UI manifest instead (plugin-view.ts).

export interface ShellRoute {
  path: string;
  label: string;
  section: 'Account' | 'Administration';
  permission?: string;
  tag: string;
  load: () => Promise<unknown>;
}

export const SHELL_ROUTES: ShellRoute[] = [
  {
    path: '/account/security',
    label: 'Security & MFA',
    section: 'Account',
    tag: 'erp-security-page',
    load: () => import('../pages/security-page.js'),
  },
  {
    path: '/account/sessions',
    label: 'My sessions',
    section: 'Account',
    tag: 'erp-sessions-page',
    load: () => import('../pages/sessions-page.js'),
  },
  {
    path: '/admin/marketplace',
    label: 'Marketplace',
    section: 'Administration',
    permission: 'kernel.plugins.read',
    tag: 'erp-marketplace-page',
    load: () => import('../pages/marketplace-page.js'),
  },
  {
    path: '/admin/plugins',
    label: 'Installed plugins',
    section: 'Administration',
    permission: 'kernel.plugins.read',
    tag: 'erp-plugins-page',
    load: () => import('../pages/plugins-page.js'),
  },
  {
    path: '/admin/users',
    label: 'Users',
    section: 'Administration',
    permission: 'iam.users.read',
    tag: 'erp-users-page',
    load: () => import('../pages/users-page.js'),
  },
  {
    path: '/admin/roles',
    label: 'Roles & permissions',
    section: 'Administration',
    permission: 'iam.roles.read',
    tag: 'erp-roles-page',
    load: () => import('../pages/roles-page.js'),
  },
  {
    path: '/admin/api-keys',
    label: 'API keys',
    section: 'Administration',
    permission: 'iam.apikeys.read',
    tag: 'erp-api-keys-page',
    load: () => import('../pages/api-keys-page.js'),
  },
  {
    path: '/admin/network',
    label: 'Network access',
    section: 'Administration',
    permission: 'kernel.tenant.read',
    tag: 'erp-network-page',
    load: () => import('../pages/network-page.js'),
  },
  {
    path: '/admin/audit',
    label: 'Audit log',
    section: 'Administration',
    permission: 'audit.entries.read',
    tag: 'erp-audit-page',
    load: () => import('../pages/audit-page.js'),
  },
];

/** A navigation entry contributed by an installed plugin version (GET /api/v1/ui/manifest). */
export interface PluginNav {
  plugin: string;
  /** The plugin's name for the navigation's group heading (its id when the kernel gives none). */
  pluginName: string;
  version: string;
  module: string;
  label: string;
  path: string;
  element: string;
  /** Third-party: rendered in a sandboxed frame behind the bridge (src/bridge/), not in this page. */
  isolated: boolean;
}

export interface UiManifest {
  plugins: {
    plugin: string;
    displayName?: string;
    version: string;
    module: string;
    elements: string[];
    isolated?: boolean;
    navigation: { label: string; path: string; element: string }[];
  }[];
}

export function pluginNav(manifest: UiManifest): PluginNav[] {
  return manifest.plugins.flatMap((p) =>
    p.navigation.map((n) => ({
      plugin: p.plugin,
      pluginName: p.displayName ?? p.plugin,
      version: p.version,
      module: p.module,
      isolated: p.isolated === true,
      ...n,
    })),
  );
}
