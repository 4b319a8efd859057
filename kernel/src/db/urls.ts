// The kernel uses two identities: the owner (runs migrations, owns every table) and the app role
// (serves requests: owns nothing, NOBYPASSRLS). DATABASE_APP_URL names the app login explicitly;
// otherwise it is derived from the owner URL with the app role's name and password.
export function appUrlFrom(ownerUrl: string, appRole: string, appPassword?: string): string {
  const u = new URL(ownerUrl);
  u.username = appRole;
  u.password = appPassword ? encodeURIComponent(appPassword) : '';
  return u.toString();
}

/** The same URL with the password hidden, for logs and errors. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}
