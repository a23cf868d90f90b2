import type { PlatformEmulator, PlatformEmulatorOptions } from './types.ts';

/** Starts an emulated LMS on real HTTP and resolves once it listens. */
export async function startPlatformEmulator(options: PlatformEmulatorOptions): Promise<PlatformEmulator> {
  throw new Error(`platform emulator (${options.mode}) is being built; the API in types.ts is final`);
}
