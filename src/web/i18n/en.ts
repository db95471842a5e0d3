import { sentencesEn } from '../../error-messages/index.js';

/**
 * The web pages' user-facing text in English: the reference catalogue. `{name}` is a placeholder.
 * Every other language has exactly these keys (the compiler, through `satisfies Catalogue`, and
 * test/unit/web/i18n.test.ts check), and each of its sentences the same placeholders.
 *
 * `err.*` and `hint.*` are the BridgeError sentences, kept beside src/errors.ts in
 * src/error-messages/ (a throw site names one by key) and included here, so a page can say them too.
 */
export const en = {
  // layout, on every page
  'layout.signOut': 'Sign out',
  'layout.language': 'Language',
  'layout.cliSessions': 'CLI sessions',
  'common.backToRoles': 'Back to your roles',
  'common.copy': 'Copy',
  'common.copied': 'Copied',
  'common.localTime': '{time} (your local time)',

  // durations and times
  'duration.minutes': '{minutes} min',
  'duration.hours': '{hours} h',
  'duration.hoursMinutes': '{hours} h {minutes} min',
  'time.underMinuteAgo': 'less than a minute ago',
  'time.minutesAgo': '{minutes} min ago',

  // chooser
  'chooser.title': 'Sign in',
  'chooser.intro': 'Choose how you sign in to your organisation.',
  'chooser.sessionEnded': 'Your session ended. Sign in again.',

  // a POST whose browser session had ended, back after signing in again (web/resume.ts)
  'resume.console': 'Your session had ended; you are signed in again. Press Open console to continue.',
  'resume.credentials': 'Your session had ended; you are signed in again. Press Get CLI credentials to continue.',

  // cli-sessions (GET /sessions)
  'cliSessions.title': 'Your CLI sessions',
  'cliSessions.heading': 'Your CLI sessions',
  'cliSessions.intro':
    'Each computer where you ran {command} and approved the sign-in. Revoke a session you do not recognise or no longer need: its next command asks to log in again.',
  'cliSessions.none': 'You have no CLI sessions.',
  'cliSessions.client': 'Client',
  'cliSessions.address': 'Address',
  'cliSessions.created': 'Signed in',
  'cliSessions.refreshed': 'Last refreshed',
  'cliSessions.notYet': 'not yet',
  'cliSessions.expires': 'Ends',
  'cliSessions.revoke': 'Revoke',
  'cliSessions.revokeLabel': 'Revoke the session of {host}, signed in {time}',
  'cliSessions.revokeAll': 'Revoke all',
  'cliSessions.revokedOne': 'Revoked 1 CLI session: its tokens no longer work.',
  'cliSessions.revokedMany': 'Revoked {count} CLI sessions: their tokens no longer work.',
  'cliSessions.revokedNone': 'Nothing was revoked: the session had already ended.',

  // console-post
  'consolePost.title': 'Opening the console',
  'consolePost.heading': 'Opening the Alibaba Cloud console…',
  'consolePost.signingInAs': 'Signing you in as {arn}.',
  'consolePost.noScript': 'JavaScript is off: press the button to continue.',
  'consolePost.continue': 'Continue to the console',

  // credentials
  'credentials.title': 'Credentials for {role}',
  'credentials.heading': 'Temporary credentials for {role}',
  'credentials.session': 'session',
  'credentials.validUntil': 'Valid until {time}.',
  'credentials.keptBriefly':
    'This page shows them to this sign-in only, for 15 minutes at most (reloading does not make new ones); then rambridge forgets them: copy them now.',
  'credentials.expiresIn': 'Expires in {remaining}.',
  'credentials.seconds': '{seconds} s',
  'credentials.expired': 'These credentials have expired: get new ones.',
  'credentials.envHow': 'Set them as environment variables in this terminal:',
  'credentials.envLabel': '{shell}: environment variables',
  'credentials.configureHow': 'Or save them as the aliyun CLI profile {profile} (it does not renew itself):',
  'credentials.configureLabel': '{shell}: aliyun configure set command',
  'credentials.profileLabel': 'Alibaba Cloud CLI profile as JSON',
  'credentials.cannotQuote':
    'These values cannot be written safely for this shell (they contain % or a double quote). Use PowerShell instead.',
  'credentialsGone.title': 'Credentials no longer shown',
  'credentialsGone.heading': 'These credentials are no longer shown here',
  'credentialsGone.why':
    'rambridge keeps credentials for their page a few minutes only (15 at most), and only for the sign-in that got them. Getting new ones takes a moment.',
  'credentialsGone.again': 'Get new credentials for {role}',
  'credentialsGone.pick': 'Choose a role',
  'credentials.shell': 'Shell',
  'credentials.profileHeading': 'Alibaba Cloud CLI profile',
  'credentials.profileHow': 'Add to the {profiles} list in {file}, then {command}',
  'credentials.terminalHint': 'On a terminal, {login} and {creds} refresh these for you.',

  // device-code
  'deviceCode.title': 'Sign in a device',
  'deviceCode.intro': 'Enter the code your terminal shows after {command}.',
  'deviceCode.label': 'Code',
  'deviceCode.continue': 'Continue',
  'deviceCode.hint': 'You will see which computer asked before anything is approved.',
  'deviceCode.unknown': 'That code is not valid. Check it against your terminal and try again.',
  'deviceCode.expired': 'That code has expired. Run `rambridge login` again for a new one.',
  'deviceCode.used': 'That code was already approved or denied and cannot be used again.',

  // device-confirm
  'deviceConfirm.title': 'Approve CLI sign-in?',
  'deviceConfirm.heading': 'Sign in the rambridge CLI?',
  'deviceConfirm.intro':
    'A device asked to act as {user} and to get Alibaba Cloud credentials for your roles. Approve only if you started this yourself, just now, on the computer below.',
  'deviceConfirm.code': 'Code',
  'deviceConfirm.mustMatch': 'must match your terminal',
  'deviceConfirm.reported': 'Reported by the device (not verified)',
  'deviceConfirm.computer': 'Computer',
  'deviceConfirm.notReported': '(not reported)',
  'deviceConfirm.address': 'Address',
  'deviceConfirm.otherNetwork': "not this browser's address ({ip})",
  'deviceConfirm.asked': 'Asked',
  'deviceConfirm.askedAt': '{time} ({ago})',
  'deviceConfirm.client': 'Client',
  'deviceConfirm.userAgent': 'User agent',
  'deviceConfirm.none': '(none)',
  'deviceConfirm.rolesHeading': 'Roles this device will be able to get',
  'deviceConfirm.rolesNone': 'None at the moment: none of your groups grants a role.',
  'deviceConfirm.rolesChange': 'These follow your groups: when your groups change, what the device can get changes too.',
  'deviceConfirm.rolesAsOfSignIn':
    'The device gets them from your groups as of this sign-in: a change to your groups reaches it at its next sign-in, at the latest in {lifetime}, when its session ends.',
  'deviceConfirm.warning': 'If someone sent you this code or link, deny: they are trying to get your access.',
  'deviceConfirm.approve': 'Approve',
  'deviceConfirm.deny': 'Deny',

  // device-done
  'deviceDone.approvedTitle': 'Device signed in',
  'deviceDone.approved': '{device} can now get credentials for your roles. Go back to your terminal.',
  'deviceDone.lifetime': 'Its session lasts {lifetime} at most; {command} on that computer ends it sooner.',
  'deviceDone.deniedTitle': 'Sign-in denied',
  'deviceDone.denied': 'The device that asked gets nothing, and its code no longer works.',

  // error page
  'error.heading.400': 'That did not work',
  'error.heading.401': 'Sign-in did not succeed',
  'error.heading.403': 'Not allowed',
  'error.heading.404': 'Not found',
  'error.heading.413': 'Too large',
  'error.heading.429': 'Slow down',
  'error.heading.501': 'Not configured',
  'error.heading.other': 'Something went wrong',
  'error.codeAndRequest': 'Error code {code} · request {requestId}',
  'error.startAgain': 'Start again',

  // launch (GET /roles/:role/console: the console itself)
  'launch.title': 'Console for {role}',
  'launch.heading': 'Open the Alibaba Cloud console',
  'launch.as': 'As {role} in {account} {accountId}, on {destination}, for {duration}.',
  'launch.consoleHome': 'the console home',
  'launch.elevated': 'This role needs a recent sign-in with a second factor and a reason, kept in the audit record.',
  'launch.opening': 'Opening the console…',
  'launch.otherOptions': 'Other options for this role',
  'launch.allRoles': 'All your roles',

  // no-roles
  'noRoles.title': 'No roles',
  'noRoles.heading': 'No Alibaba Cloud roles for you yet',
  'noRoles.signedInAs': 'You are signed in as {user}, but none of your groups grants a role.',
  'noRoles.groups': 'Your identity provider says you are in these groups:',
  'noRoles.groupsEmpty': 'Your identity provider did not send any groups for you.',
  'noRoles.groupClaims':
    'rambridge reads groups from {claims} in the sign-in from your identity provider. Admin: make the IdP app send it.',
  'noRoles.whoToAsk': 'Who can give you access',
  'noRoles.askContact': 'Ask {contact} to add you to a group that grants the role you need.',
  'noRoles.askLink': 'Ask for the role you need on {link}: access comes with a group that grants it.',
  'noRoles.requestAccess': 'the access request page',
  'noRoles.askAdmin': 'Ask your administrator to add you to a group that grants the role you need.',
  'noRoles.tellThem': 'Say which role or access you need, and give your sign-in and groups shown above.',
  'noRoles.adminHeading': 'For administrators',
  'noRoles.adminIntro': 'You administer rambridge: this shows, against the configuration file, which grants these groups miss.',
  'noRoles.adminCommandLabel': 'Command that explains the missing roles',

  // not-configured
  'notConfigured.console': 'Opening the console is not configured',
  'notConfigured.credentials': 'CLI credentials are not configured',
  'notConfigured.message': 'Your role choice was accepted, but this rambridge has no STS issuer configured yet.',
  'notConfigured.meta': 'Role {arn} · error code {code}',

  // roles (the picker)
  'roles.title': 'Your roles',
  'roles.heading': 'Your Alibaba Cloud roles',
  'roles.filterPlaceholder': 'Filter roles and accounts…',
  'roles.filterLabel': 'Filter roles',
  'roles.elevated': 'elevated',
  'roles.upTo': 'up to {duration}',
  'roles.via': 'via {protocol}',
  'roles.chainedFrom': 'chained from {role}',
  'roles.grantedBy': 'Granted by {reasons}',
  'roles.reason': '{grant} (group {group})',
  'roles.listSeparator': ', ',
  'roles.qualified': '{name} ({detail})',
  'roles.session': 'Session',
  'roles.open': 'Open',
  'roles.consoleHome': 'Console home',
  'roles.justification': 'Why do you need elevated access?',
  'roles.openConsole': 'Open console',
  'roles.getCredentials': 'Get CLI credentials',
  'roles.noMatch': 'No role matches the filter.',
  'roles.filterShortcut': 'Press {key} to filter',
  'roles.count.one': '{count} role',
  'roles.count.many': '{count} roles',
  'roles.favourites': 'Favourites',
  'roles.recents': 'Recent',
  'roles.favourite': 'Favourite {role}',
  'roles.favouriteAdd': 'Add to favourites: shown first',
  'roles.favouriteRemove': 'Remove from favourites',
  'roles.lastUsed': 'Last used {when}',
  'roles.showAll': 'Show all roles',
  'roles.linkMatches': '{count} of your roles match “{query}”.',
  'roles.errorCode': 'Error code {code}',

  // signed-out
  'signedOut.title': 'Signed out',
  'signedOut.heading': 'You are signed out of rambridge',
  'signedOut.consoles': 'Consoles you opened keep their own session until it expires or you sign out there.',
  'signedOut.endedOne': 'Ended 1 CLI session: its token no longer works.',
  'signedOut.endedMany': 'Ended {count} CLI sessions: their tokens no longer work.',
  'signedOut.offerOne': 'You still have 1 CLI session (from {command}), which keeps working until it expires.',
  'signedOut.offerMany': 'You still have {count} CLI sessions (from {command}), which keep working until they expire.',
  'signedOut.endCli': 'End my CLI sessions too',
  'signedOut.idpActive': 'Your sign-in at {idp} is still active, so signing in again will not ask for your password.',
  'signedOut.idpLogout': 'Sign out of {idp} too',
  'signedOut.signInAgain': 'Sign in again',

  ...sentencesEn,
} as const;

export type MessageKey = keyof typeof en;

/** A language's catalogue: every key of the English one, no other. */
export type Catalogue = { readonly [K in MessageKey]: string };
