import type { SharedServices } from './global-setup.js';

/**
 * Jest global teardown of the e2e project: stops what global-setup.ts started. Only a type comes
 * from there (see there why): the key repeats `SERVICES_KEY`.
 */
export default async function stopSharedServices(): Promise<void> {
  const services = (globalThis as Record<string, unknown>).__rambridgeE2eServices as SharedServices | undefined;
  await Promise.all([services?.demo.close(), services?.browser.close()]);
}
