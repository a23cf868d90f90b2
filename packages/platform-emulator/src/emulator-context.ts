import type { EmulatorState } from './emulator-state.ts';
import type { PlatformKeys } from './platform-keys.ts';
import type { PlatformProfile } from './platform-profile.ts';
import type { PlatformEmulator } from './types.ts';

export type EmulatorInfo = Pick<PlatformEmulator, 'mode' | 'url' | 'issuer' | 'platformName' | 'jwksUrl' | 'authorizationUrl' | 'tokenUrl' | 'openidConfigurationUrl' | 'kid'>;

/** What every route needs: the state, the mode's profile, the keys and where the emulator lives. */
export interface EmulatorContext {
  readonly state: EmulatorState;
  readonly profile: PlatformProfile;
  readonly keys: PlatformKeys;
  readonly platformName: string;
  /** Known once the server listens (port 0 picks one). */
  baseUrl(): string;
  issuer(): string;
  /** Seconds since the epoch. */
  now(): number;
}
