export type { Principal } from '../principal/index.js';
export { AccessTokens } from './access-tokens.js';
export { API_KEY_PREFIX, ApiKeys } from './api-keys.js';
export { Authenticator, type PluginUiCredentials } from './authenticator.js';
export { resealAll, rotateMasterKey, totpBox } from './key-rotation.js';
export { LoginService, type TokenPair } from './login.js';
export { decodeToken, encodeToken, hashSecret, newSecret, secretMatches } from './opaque-token.js';
export { PasswordResets } from './password-reset.js';
export { hashPassword, PASSWORD_MIN, passwordWeakness, verifyPassword } from './passwords.js';
export { RecoveryCodes } from './recovery-codes.js';
export { recoveryRoutes } from './recovery-routes.js';
export { RefreshTokens } from './refresh-tokens.js';
export { CredentialRefusals } from './refusals.js';
export { authRoutes } from './routes.js';
export { SecretBox } from './secret-box.js';
export { Sessions } from './sessions.js';
export { StepUp } from './step-up.js';
export {
  accountKey,
  CredentialThrottle,
  clearAccountThrottle,
  THROTTLED_CODE,
  type ThrottleDb,
  throttledSql,
} from './throttle.js';
export { Totp } from './totp.js';
