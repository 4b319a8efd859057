// Who is calling. Built only from a verified credential, never from a header a client chooses.
export interface Principal {
  kind: 'user' | 'apiKey';
  tenantId: string;
  /** The acting user (for an API key: its creator, for attribution). */
  userId: string | null;
  apiKeyId: string | null;
  sessionId: string | null;
  /** For API keys: the permissions the key was scoped to. Users get theirs from their roles. */
  scopes: readonly string[] | null;
  /**
   * Set for a third-party plugin UI's scoped token (issue 19): the principal may only call that
   * plugin's own routes and the kernel routes (`METHOD:/route`) its manifest was granted, with
   * `scopes` as its permissions.
   */
  plugin?: { id: string; version: string; kernelRoutes: readonly string[] };
}
