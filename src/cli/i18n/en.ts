/**
 * The CLI's user-facing sentences in English: the reference catalogue. `{name}` is a placeholder.
 * Every other language has exactly these keys (the compiler and test/unit/cli/i18n.test.ts check).
 * The prefixes `rambridge: error:`, `hint:` and `request id:` are not here: they stay as they are
 * in every language, so logs and scripts can search for them.
 */
export const en = {
  notLoggedIn: 'You are not logged in to {server}.',
  runLogin: 'Run: rambridge login --server {server}',
  sessionEnded: 'Your rambridge session has ended.',
  logInAgain: 'Log in again? [Y/n] ',
  offlineNote: '(offline: from cache, {time})',
  unreachable: 'Cannot reach {origin}.',
  unreachableHint: 'Check the network (VPN?) and the server URL.',
  unexpected: 'Unexpected error: {detail}',
  bugHint: 'This is a bug in rambridge; set RAMBRIDGE_DEBUG=1 for details and report it.',
  loginOpen: 'Open:',
  loginEnterCode: 'Enter code:',
  loginOrOpen: 'Or open this link, which fills in the code:',
  loginScan: 'Scan to open the link with a phone.',
  loginApproveOnly: 'Approve only if the page shows this code and the computer "{host}".',
  openingBrowser: 'Opening your browser…',
  notOpeningBrowser: 'Not opening a browser ({reason}): open the link on any device.',
  waitingForApproval: 'Waiting for approval (the code expires in {remaining})…',
  signedIn: 'Signed in to {server} as {who} (via {idp}){until}.',
  signedInFor: ' for {remaining}',
  nextRoles: 'Next: rambridge roles',
  noRoles: 'You have no roles on this server.',
  noRolesHint: 'Ask your administrator which IdP groups grant roles (rambridge whoami shows yours).',
  noRoleMatches: 'None of your {count} roles matches "{filter}".',
  rolesLegend: '★ favourite (toggle: rambridge roles --favourite ROLE)    use one: rambridge creds ROLE, rambridge exec ROLE -- CMD',
  notLoggedOut: 'You were not logged in to {server}; nothing to do.',
  loggedOut: 'Logged out of {server}: tokens and cached credentials deleted{note}.',
  loggedOutUntold: ' (the server could not be told; the session ends by itself)',
} as const;

export type MessageKey = keyof typeof en;

/** A language's catalogue: every key of the English one, no other. */
export type Catalogue = { readonly [K in MessageKey]: string };
