import type { RunningDemo } from '../demo/index.js';
import { DEMO_USERS } from '../devidp/users.js';
import { t } from './i18n/index.js';
import { alignLabels, displayWidth } from './i18n/width.js';

/** What `rambridge demo` prints once everything listens, in the CLI's language; URLs and demo users as they are. */
export function demoBanner(demo: RunningDemo): string {
  const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - displayWidth(text)));
  // In one column, at least 12 wide (the English labels and the URLs after them as they have always been).
  const [open, idp, samlIdp, emulator] = alignLabels(t('demoOpen'), t('demoIdp'), t('demoSamlIdp'), t('demoEmulator')).map((label) =>
    pad(label, 12),
  );
  const users = DEMO_USERS.map(
    (u) =>
      `    ${pad(u.username, 8)} / ${pad(u.password, 8)} ${t('demoUserGroups', {
        groups: u.groups.length ? u.groups.join(t('listSeparator')) : t('whoamiNoGroups'),
      })}${u.mfa ? t('demoUserMfa') : ''}`,
  );
  return [
    '',
    `  ${t('demoRunning')}`,
    '',
    `    ${open}${demo.bridgeUrl}/roles`,
    `    ${idp}${demo.idpUrl}  ${t('demoIdpNote')}`,
    ...(demo.samlIdpUrl ? [`    ${samlIdp}${demo.samlIdpUrl}  ${t('demoSamlIdpNote')}`] : []),
    `    ${emulator}${demo.emulatorUrl}  ${t('demoEmulatorNote')}`,
    '',
    `  ${t('demoUsers')}`,
    ...users,
    '',
    `  ${t('demoStop')}`,
    '',
  ].join('\n');
}
