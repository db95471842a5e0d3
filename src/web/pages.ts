import type { Role } from '../config/index.js';
import type { DeviceClient } from '../device/index.js';
import type { Identity } from '../idp/identity.js';
import type { Shell } from './shell-snippets.js';

/**
 * Every page the bridge renders (views/<name>.eta) and the data its template reads, so a missing
 * or misspelt field is a compile error rather than an empty spot on the page.
 */
export interface Pages {
  /** `sessionEnded`: the browser was sent here because its session ended (`?expired=1`). */
  chooser: { idps: { id: string; displayName: string; href: string }[]; sessionEnded: boolean };
  'console-post': { role: Role; action: string; samlResponse: string; relayState: string };
  credentials: { role: Role } & CredentialsPage;
  /** `GET /roles/credentials/<id>` once the credentials are no longer kept: offers the role again. */
  'credentials-gone': { roleId?: string };
  'device-code': { value: string; error?: { code: string; message: string } };
  'device-confirm': {
    userCode: string;
    client: DeviceClient;
    browserIp: string;
    askedAt: string;
    askedAtUtc: string;
    askedAgo: string;
    /** The roles the device will be able to get, as of now (the mapper's answer for this user). */
    roles: DeviceRole[];
    /** The device's identity is re-read at the IdP at its refreshes (`refreshGroups`), so its roles follow the user's groups. */
    followsGroups: boolean;
    /** `device.sessionMaxAgeSeconds`, written out: how long the device keeps this sign-in's groups otherwise. */
    sessionLifetime: string;
  };
  'device-done': { approved: boolean; client: DeviceClient; sessionLifetime: string };
  /** `GET /roles/:role/console`: the filled-in "Open console" form; `autoSubmit` adds the data attribute launch.js looks for. */
  launch: {
    role: Role;
    /** What the form asks for: the link's length, or the role's maximum (issuance cuts it to what is left). */
    durationSeconds: number;
    /** What of it is offered now, written out: cut to what is left of the session less the margin, in whole minutes. */
    durationLabel: string;
    destination: string;
    destinationLabel: string;
    autoSubmit: boolean;
    /** Under STS's minimum (900 s) may be offered of the session: said instead, the button disabled. */
    sessionEnding?: SessionEndingAlert;
    minJustification: number;
    maxJustification: number;
  };
  error: { heading: string; message: string; hint?: string; code: string; requestId: string; retryHref: string };
  'no-roles': { user: Identity } & NoRolesPage;
  /** `GET /sessions`: the signed-in user's own CLI sessions. */
  'cli-sessions': CliSessionsPage;
  'not-configured': { heading: string; message: string; role: Role };
  roles: {
    groups: PickerGroup[];
    /** Roles shown (not hidden by the filter), and all the page holds: the live region's count. */
    shown: number;
    /** The filter as typed (`?q=`), kept in the search field. */
    query: string;
    /** This page's path and query: where the star's form comes back to without JavaScript. */
    here: string;
    /** A deep link (`/roles/:alias`): what it asked for and how many roles it named (0: none of the user's). */
    deepLink?: { query: string; matches: number; notGranted?: { heading: string; message: string; hint?: string; code: string } };
    destinations: { label: string; url: string; selected?: boolean }[];
    /**
     * Under STS's minimum (900 s) may be offered of the session: what the page says instead of
     * offering no length; `focus` (back from sign-in to an action it cannot do) has session-ending.js focus it.
     */
    sessionEnding?: SessionEndingAlert;
    minJustification: number;
    maxJustification: number;
  };
  'signed-out': SignedOutPage;
}

/** What views/layout.eta reads on every page. */
export interface LayoutData {
  title: string;
  /** The signed-in user, shown with a sign-out form. */
  user?: Identity;
  /** The session's CSRF token, for the sign-out form (rendered only with `user`). */
  csrf?: string;
  scripts?: string[];
  /** A one-line notice above the page (a status message, announced by screen readers). */
  notice?: PageNotice;
}

/**
 * A notice in the layout. `focus` names a control (its `data-testid` inside the role
 * `data-role-id`) that /assets/resume.js focuses: the action the user came back to do.
 */
/** The alert of a page that offers no length because the session ends too soon (roles.eta, launch.eta). */
export interface SessionEndingAlert {
  message: string;
  hint?: string;
  focus?: boolean;
}

export interface PageNotice {
  text: string;
  testid: string;
  focus?: { roleId: string; testid: string };
}

export type PageName = keyof Pages;
export type PageData<P extends PageName> = LayoutData & Pages[P];

/** The ways the credentials page offers credentials: per shell, an Alibaba CLI profile, the expiry and a countdown. */
export interface CredentialsPage {
  roleSessionName: string;
  /** ISO 8601, for `<time datetime>` and the countdown. */
  expiration: string;
  expirationUtc: string;
  /** The countdown as first shown ("expires in 59 min"); page.js keeps it current. */
  expiresIn: string;
  /** Whole seconds left when the page was made: where page.js's countdown starts. */
  secondsLeft: number;
  profileName: string;
  /** A tab each; `env` and `configure` absent where the shell cannot take the values literally. */
  shells: { shell: Shell; name: string; env?: string; configure?: string }[];
  profileJson: string;
}

/** One group of the role picker: the favourites, the recently used roles, or an account's other roles. */
export interface PickerGroup {
  kind: 'favourites' | 'recents' | 'account';
  /** `favourites`, `recents`, or the account id. */
  id: string;
  heading: string;
  accountId?: string;
  roles: PickerRole[];
  /** Every role in it is hidden by the filter. */
  hidden: boolean;
}

export interface PickerRole {
  id: string;
  arn: string;
  /** Shown with roles outside their account's group (favourites, recents). */
  account?: { id: string; name: string };
  viaLabel: string;
  elevated: boolean;
  description?: string;
  maxLabel: string;
  durations: { seconds: number; label: string; selected: boolean }[];
  reasons: string;
  /** The filter's fields, one per line (picker-view.ts `searchFields`). */
  search: string;
  favourite: boolean;
  /** When the user last got this role (web or CLI): ISO, relative in the page language, and in full. */
  lastUsed?: { iso: string; label: string; full: string };
  highlighted: boolean;
  /** Not matched by the filter (`?q=`). */
  hidden: boolean;
}

/** What the no-roles page says besides the user's own groups. */
export interface NoRolesPage {
  /** The claim or attribute names groups are read from, for the admin (never their values). */
  groupClaims: string[];
  /** Who to ask (config `support`); "your administrator" without a contact. */
  support: { contact?: string; url?: string };
  /** `rambridge explain …` for this user: only for members of `support.adminGroups`. */
  adminCommand?: string;
}

/** One role on the device confirmation page. */
export interface DeviceRole {
  id: string;
  accountName: string;
  accountId: string;
  viaLabel: string;
  elevated: boolean;
}

export interface CliSessionsPage {
  sessions: CliSessionRow[];
  /** After a revoke (303 back here): how many sessions it ended. */
  revoked?: number;
}

/** One CLI session as the page shows it: never a token, nor the session's IdP data. */
export interface CliSessionRow {
  sid: string;
  host: string;
  client: string;
  ip: string;
  /** Each moment as an ISO timestamp (for `<time datetime>`) and written out in the page language. */
  created: { iso: string; text: string };
  refreshed?: { iso: string; text: string };
  expires: { iso: string; text: string };
}

export interface SignedOutPage {
  offer?: { count: number; token: string };
  ended?: number;
  idpLogout?: { url: string; name: string };
}
