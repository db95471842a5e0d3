/**
 * The web pages' user-facing text in English: the reference catalogue. `{name}` is a placeholder.
 * Every other language has exactly these keys (the compiler, through `satisfies Catalogue`, and
 * test/unit/web/i18n.test.ts check), and each of its sentences the same placeholders.
 *
 * `err.*` and `hint.*` are the BridgeError sentences of src/ (userMessage and hint), word for word:
 * error-text.ts finds an error's sentence here by matching it, so the English page stays exactly
 * what the code says, and test/unit/web/error-text.test.ts fails when a sentence in src/ has no entry.
 * Keys start with the error code that carries the sentence; hints are shared between codes.
 */
export const en = {
  // layout, on every page
  'layout.signOut': 'Sign out',
  'layout.language': 'Language',
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
  'credentials.shownOnce': 'They are shown once and are not stored by rambridge: copy them now.',
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
  'deviceConfirm.computer': 'Computer',
  'deviceConfirm.notReported': '(not reported)',
  'deviceConfirm.address': 'Address',
  'deviceConfirm.otherNetwork': "not this browser's address ({ip})",
  'deviceConfirm.asked': 'Asked',
  'deviceConfirm.askedAt': '{time} ({ago})',
  'deviceConfirm.client': 'Client',
  'deviceConfirm.userAgent': 'User agent',
  'deviceConfirm.none': '(none)',
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

  // no-roles
  'noRoles.title': 'No roles',
  'noRoles.heading': 'No Alibaba Cloud roles for you yet',
  'noRoles.signedInAs': 'You are signed in as {user}, but none of your groups grants a role.',
  'noRoles.groups': 'Your identity provider says you are in these groups:',
  'noRoles.groupsEmpty': 'Your identity provider did not send any groups for you.',
  'noRoles.groupClaims':
    'rambridge reads groups from {claims} in the sign-in from your identity provider. Admin: make the IdP app send it.',
  'noRoles.ask': 'Ask your administrator to add you to a group that grants the role you need; they can check with {command}.',

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
  'roles.session': 'Session',
  'roles.open': 'Open',
  'roles.consoleHome': 'Console home',
  'roles.justification': 'Why do you need elevated access?',
  'roles.openConsole': 'Open console',
  'roles.getCredentials': 'Get CLI credentials',
  'roles.noMatch': 'No role matches the filter.',

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

  // BridgeError sentences (userMessage), by the code that carries them
  'err.status.400': 'The request could not be understood.',
  'err.status.401': 'Sign-in did not succeed.',
  'err.status.403': 'You are not allowed to do that.',
  'err.status.404': 'There is nothing here.',
  'err.status.405': 'That method is not allowed here.',
  'err.status.413': 'What was sent is too large.',
  'err.status.429': 'Too many attempts. Please wait a moment and try again.',
  'err.status.500': 'Something went wrong on our side.',
  'err.status.501': 'This part of rambridge is not configured yet.',
  'err.status.502': 'A service rambridge depends on did not answer properly.',
  'err.status.503': 'rambridge is not ready yet. Please try again shortly.',
  'err.status.504': 'A service rambridge depends on did not answer in time.',
  'err.ERR_AUTH_FLOW_MISSING': 'This sign-in was not started in this browser, has expired, or was already used.',
  'err.ERR_AUTH_FLOW_MISSING.used': 'This sign-in was already used.',
  'err.ERR_TRANSPORT_INSECURE': 'rambridge cannot sign you in over this connection.',
  'err.ERR_BODY_ENCODING': 'Send the request body without a Content-Encoding.',
  'err.ERR_CSRF': 'This form has expired or was not sent by rambridge.',
  'err.ERR_CSRF.crossSite': 'This form was sent from another site and was refused.',
  'err.ERR_CSRF.offer': 'This offer has expired or was already used.',
  'err.ERR_TOKEN_MISSING': 'This API needs an access token (Authorization: Bearer …).',
  'err.ERR_BAD_REQUEST.form': 'Send the parameters as application/x-www-form-urlencoded.',
  'err.ERR_BAD_REQUEST.repeated': 'The {name} parameter is repeated or malformed.',
  'err.ERR_BAD_REQUEST.missing': 'The {name} parameter is missing.',
  'err.ERR_BAD_REQUEST.pkce': 'Send code_challenge with code_challenge_method=S256 (43 base64url characters), or neither.',
  'err.ERR_BAD_REQUEST.json': 'Send a JSON body {role, durationSeconds, justification?}.',
  'err.ERR_BAD_REQUEST.role': 'Say which role you want.',
  'err.ERR_BAD_REQUEST.language': 'Choose one of the languages offered.',
  'err.ERR_OAUTH_INVALID_CLIENT': 'Unknown client.',
  'err.ERR_OAUTH_UNSUPPORTED_GRANT_TYPE': 'Only the device_code and refresh_token grants are supported.',
  'err.ERR_REFRESH_TOKEN_INVALID': 'This CLI session has ended (expired, signed out or revoked).',
  'err.ERR_REFRESH_TOKEN_REUSED': 'This refresh token was already used, so the CLI session was ended for safety.',
  'err.ERR_NOT_CONFIGURED.issuer': 'This rambridge cannot issue credentials yet (no STS issuer configured).',
  'err.ERR_NOT_CONFIGURED.cli': 'CLI sign-in is not configured on this rambridge.',
  'err.ERR_NOT_SIGNED_IN': 'Your rambridge session has ended.',
  'err.ERR_NOT_SIGNED_IN.idToken': 'This role needs a fresh sign-in token from your identity provider.',
  'err.ERR_SAML_TOO_LARGE': 'The sign-in response was too large.',
  'err.ERR_SAML': 'The sign-in response from your identity provider was refused.',
  'err.ERR_SAML_UNSOLICITED': 'Sign-ins started at your identity provider are not accepted here.',
  'err.ERR_SAML_ATTRIBUTE_MISSING': 'Your identity provider did not send the attribute "{attribute}" that rambridge needs.',
  'err.ERR_IDP_UNKNOWN': 'There is no such sign-in method.',
  'err.ERR_IDP_UNREACHABLE': '{idp} could not be reached.',
  'err.ERR_IDP_UNREACHABLE.settings': 'The settings of {idp} could not be loaded.',
  'err.ERR_IDP_UNREACHABLE.incomplete': 'The settings of {idp} are incomplete.',
  'err.ERR_IDP_ISSUER_MISMATCH': '{idp} is not set up correctly in rambridge.',
  'err.ERR_IDP_CLIENT_REJECTED': "{idp} refused rambridge's client credentials, so sign-in cannot finish.",
  'err.ERR_AUTH_NOT_REAUTHENTICATED': '{idp} signed you in without asking for your credentials again, as rambridge requires here.',
  'err.ERR_AUTH_NOT_REAUTHENTICATED.generic':
    'Your identity provider signed you in without asking for your credentials again, as rambridge requires here.',
  'err.ERR_AUTH_IDP_ERROR': 'Your identity provider did not sign you in.',
  'err.ERR_AUTH_GROUPS_OVERAGE.token': 'Your account is in too many groups for the identity provider to list them in the sign-in token.',
  'err.ERR_AUTH_GROUPS_OVERAGE.response':
    'Your account is in too many groups for the identity provider to list them in the sign-in response.',
  'err.ERR_AUTH_TENANT_NOT_ALLOWED': 'Accounts from your organisation are not allowed to sign in here.',
  'err.ERR_UPSTREAM_REFRESH_DENIED': 'Your identity provider no longer accepts this sign-in, so the CLI session has ended.',
  'err.ERR_METRICS_UNAUTHORIZED': 'The metrics need a bearer token.',
  'err.ERR_UNAVAILABLE.busy': 'The shared store is too busy to update an entry.',
  'err.ERR_UNAVAILABLE.redis': 'The shared store (Redis) is unavailable.',
  'err.ERR_DURATION_INVALID': 'Choose a session length between {min} and {max}.',
  'err.ERR_DURATION_INVALID.chain': "A chained role's session lasts at most {minutes} minutes.",
  'err.ERR_ELEVATION_MFA_REQUIRED': 'This role needs a recent sign-in with a second factor.',
  'err.ERR_JUSTIFICATION_REQUIRED': 'Say why you need this elevated role (at least {count} characters).',
  'err.ERR_JUSTIFICATION_TOO_LONG': 'Keep the reason for this elevated role to at most {count} characters.',
  'err.ERR_ROLE_NOT_GRANTED': 'You do not have this role.',
  'err.ERR_DEVICE_PKCE_MISMATCH': 'The code_verifier does not match the code_challenge.',
  'err.ERR_DEVICE_CODE_INVALID': 'This device code is unknown or was already used.',
  'err.ERR_DEVICE_AUTHORIZATION_PENDING': 'Waiting for the sign-in to be approved in the browser.',
  'err.ERR_DEVICE_SLOW_DOWN': 'Polling too fast: wait at least {seconds} seconds between requests.',
  'err.ERR_DEVICE_ACCESS_DENIED': 'The sign-in was denied in the browser.',
  'err.ERR_DEVICE_CODE_EXPIRED': 'The code expired before it was approved.',
  'err.ERR_TOKEN_INVALID': 'The access token is invalid, expired or revoked.',
  'err.ERR_RATE_LIMITED': 'Too many sign-ins were started from this address. Please wait a few minutes.',
  'err.ERR_DEVICE_TOO_MANY_ATTEMPTS.user': 'Too many wrong codes. For your protection, code entry is paused for a while.',
  'err.ERR_DEVICE_TOO_MANY_ATTEMPTS.global': 'Too many wrong codes are being entered on rambridge right now. Please wait a minute.',
  'err.ERR_DESTINATION_NOT_ALLOWED': 'That console page is not on the list of places rambridge may send you.',
  'err.ERR_CONSOLE_SIGNIN_FAILED': 'Alibaba Cloud sign-in did not accept the temporary credentials.',
  'err.ERR_STS_DENIED': 'Alibaba Cloud refused to issue credentials for this role.',
  'err.ERR_STS_EXPIRED': 'The sign-in proof or credentials expired before Alibaba Cloud accepted them. Please try again.',
  'err.ERR_STS_INVALID_INPUT': 'Alibaba Cloud rejected the request for this role; the role or its provider may be misconfigured.',
  'err.ERR_STS_THROTTLED': 'Alibaba Cloud is limiting credential requests right now. Please try again shortly.',
  'err.ERR_STS_TIMEOUT': 'Alibaba Cloud STS did not answer in time. Please try again in a moment.',
  'err.ERR_STS_UNAVAILABLE': 'Alibaba Cloud STS could not be reached or did not answer properly. Please try again in a moment.',

  // BridgeError hints
  'hint.startAgain': 'Start the sign-in again from rambridge.',
  'hint.transportInsecure':
    'Admin: publicUrl is https but this request reached rambridge over plain http. Behind a TLS-terminating proxy, set server.trustProxy to the number of proxies in front of rambridge and have them send X-Forwarded-Proto.',
  'hint.reload': 'Reload the page and try again.',
  'hint.runLogin': 'Run `rambridge login`.',
  'hint.runLoginAgain': 'Run `rambridge login` again.',
  'hint.runLoginAgainRefresh': 'Run `rambridge login` again if refreshing does not help.',
  'hint.refreshReused': 'Run `rambridge login` again. If you did not use this session twice, tell your security team.',
  'hint.refreshDenied': 'Run `rambridge login` again. If that fails too, ask your administrator whether your account is still enabled.',
  'hint.signInAgain': 'Sign in again.',
  'hint.cliNotConfigured': 'An administrator must configure the issuer section (its OIDC key signs CLI access tokens).',
  'hint.offerUsed': 'Run `rambridge logout` on each computer, or sign in and sign out again.',
  'hint.metricsToken': 'Send `Authorization: Bearer <metrics.token>` (Prometheus: `authorization: {credentials_file: …}`).',
  'hint.redis':
    'Check that Redis is running, reachable from rambridge (store.url, store.sentinel or store.cluster), and accepts its credentials.',
  'hint.signOutIn': 'Sign out and sign in again, then retry.',
  'hint.mfa': 'Sign in again with MFA (within the last {minutes} minutes), then retry.',
  'hint.pickRole': 'Pick one of the roles on your role page, or ask your administrator for access.',
  'hint.startLimit': 'Finish or cancel the `rambridge login` already running.',
  'hint.wrongCodes': 'Check the code your terminal shows, or run `rambridge login` again to get a new one.',
  'hint.destination': 'Pick a destination from the role page, or ask your administrator to add it.',
  'hint.consoleSignin': 'Try again. If it keeps failing, give your administrator the request id below.',
  'hint.stsRequestId': 'Alibaba Cloud STS answered {stsCode} (RequestId {requestId}).',
  'hint.sts': 'Alibaba Cloud STS answered {stsCode}.',
  'hint.overageOidc':
    'Admin: in Entra ID, set the app registration\'s groups claim to "Groups assigned to the application" (and assign the rambridge groups to the app), or emit app roles instead of groups.',
  'hint.overageSaml':
    'Admin: in the Entra ID enterprise application, under Attributes & Claims, set the group claim to "Groups assigned to the application" and assign the rambridge groups to the application.',
  'hint.notAssigned': 'You may not be assigned to rambridge at your identity provider.',
  'hint.clock': "Admin: check that the identity provider's clock and this server's clock are synchronised (NTP).",
  'hint.issuerMismatch': 'Admin: the issuer in the IdP discovery document differs from the configured one; see the log for both.',
  'hint.idpUnreachable':
    'Try again in a moment, or sign in with another identity provider. Admin: check the IdP issuer URL and network access.',
  'hint.clientRejected': 'This is a rambridge configuration problem, not yours. Admin: check the clientId and clientSecret of this IdP.',
  'hint.reauthOidc': 'Try again. Admin: the identity provider must honour prompt=login and max_age=0, and send auth_time.',
  'hint.reauth': 'Try again. Admin: the identity provider must honour prompt=login / max_age=0 (OIDC) or ForceAuthn (SAML).',
  'hint.metadata':
    'Try again in a moment, or sign in with another identity provider. Admin: check the IdP metadata location and network access.',
  'hint.nameId': 'Admin: configure the identity provider to send a persistent or email NameID for rambridge.',
  'hint.attribute': 'Admin: release this attribute to the rambridge application at the identity provider.',
  'hint.openRambridge': 'Open rambridge and sign in from there.',
  'hint.samlStatus': "Try again. If it keeps failing, ask your administrator to check the identity provider's sign-in log.",
  'hint.samlAuthnFailed': 'The identity provider could not authenticate you. You may not be assigned to rambridge there.',
  'hint.samlNameIdPolicy':
    'Admin: the identity provider cannot send the NameID format rambridge asks for (nameIdFormat in its configuration).',
  'hint.samlNoPassive': 'Sign in at your identity provider first.',
  'hint.saml': 'Start the sign-in again from rambridge. If it keeps failing, give your administrator the error code and request id below.',
} as const;

export type MessageKey = keyof typeof en;

/** A language's catalogue: every key of the English one, no other. */
export type Catalogue = { readonly [K in MessageKey]: string };
