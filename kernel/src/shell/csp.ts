// The shell page's Content-Security-Policy. Scripts only from the kernel's own origin (the shell's
// hashed files and the plugins' versioned modules under /plugins/), no inline script, no eval;
// the API and the event stream on the same origin; images from the origin or data: URLs (the MFA
// QR code). Styles allow inline because lit and plugin elements put <style> in their shadow roots.
// Nobody may frame the shell, so a third-party page cannot overlay it (clickjacking). No
// upgrade-insecure-requests: the kernel itself serves http on 127.0.0.1; TLS is the proxy's job.
export const SHELL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
