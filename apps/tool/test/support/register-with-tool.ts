import type { PlatformEmulator, ToolRegistration } from '@attest/platform-emulator';
import type { PlatformRegistry } from '../../src/lti/platform-registry.ts';

/**
 * Registers the tool in the emulated LMS and the LMS in the tool, by hand, as an administrator
 * would without Dynamic Registration. Slow (the tool makes its 4096-bit key for the platform
 * here), so call it in beforeAll, never inside a timed test.
 */
export async function registerWithTool(lms: PlatformEmulator, toolUrl: string, platforms: Pick<PlatformRegistry, 'register'>, options: { scopes?: readonly string[] } = {}): Promise<ToolRegistration> {
  const registration = lms.registerTool({ loginUrl: `${toolUrl}/lti/login`, redirectUris: [`${toolUrl}/lti/launch`], jwksUrl: `${toolUrl}/lti/keys`, targetLinkUri: `${toolUrl}/lti/launch`, ...(options.scopes ? { scopes: options.scopes } : {}) });
  await platforms.register({
    issuer: lms.issuer,
    clientId: registration.clientId,
    name: lms.platformName,
    authenticationEndpoint: lms.authorizationUrl,
    accessTokenEndpoint: lms.tokenUrl,
    jwksUrl: lms.jwksUrl,
    deploymentIds: [registration.deploymentId],
  });
  return registration;
}
