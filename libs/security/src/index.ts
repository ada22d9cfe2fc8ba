/** Authentication and roles (issue #8): bearer tokens, API keys, roles, failure limits. */
export { ROLES, ROLE_MEANINGS, isRole, type Role } from './roles';
export { actorOf, principalOf, setPrincipal, type Principal } from './principal';
export { MIN_SECRET_BYTES, authSettings, describeAuth, type AuthSettings } from './auth-settings';
export { AuthenticationError, AuthenticationUnavailableError, PRINCIPAL_ID } from './errors';
export { JwtVerifier, principalFrom } from './jwt-verifier';
export { ApiKeyError, ApiKeyStore, type ApiKeyView } from './api-keys';
export { FailureLimiter } from './failure-limiter';
export {
  API_KEY_HEADER,
  Authenticator,
  TooManyFailuresError,
  type Credentials,
} from './authenticator';
export {
  SecurityEvents,
  securityEvents,
  type SecurityEvent,
  type SecurityListener,
} from './security-events';
export { signTestToken } from './test-tokens';
export {
  SIGNATURE_PREFIX,
  signWebhook,
  verifyWebhookSignature,
  type HeaderValue,
  type SignWebhookInput,
  type VerifyWebhookSignatureInput,
  type WebhookSignatureFailure,
  type WebhookSignatureResult,
} from './webhook-signature';
