import type { Role } from '../config/index.js';
import type { DeviceClient } from '../device/index.js';
import type { Identity } from '../idp/identity.js';
import type { Shell } from './shell-snippets.js';

/**
 * Every page the bridge renders (views/<name>.eta) and the data its template reads, so a missing
 * or misspelt field is a compile error rather than an empty spot on the page.
 */
export interface Pages {
  chooser: { idps: { id: string; displayName: string; href: string }[] };
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
  };
  'device-done': { approved: boolean; client: DeviceClient; sessionLifetime: string };
  /** `GET /roles/:role/console`: the filled-in "Open console" form; `autoSubmit` adds the data attribute launch.js looks for. */
  launch: {
    role: Role;
    durationSeconds: number;
    durationLabel: string;
    destination: string;
    destinationLabel: string;
    autoSubmit: boolean;
    minJustification: number;
    maxJustification: number;
  };
  error: { heading: string; message: string; hint?: string; code: string; requestId: string; retryHref: string };
  /** `groupClaims`: the claim or attribute names groups are read from, for the admin (never their values). */
  'no-roles': { user: Identity; groupClaims: string[] };
  'not-configured': { heading: string; message: string; role: Role };
  roles: {
    accounts: PickerAccount[];
    destinations: { label: string; url: string; selected?: boolean }[];
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

/** One account of the role picker, with its roles. */
export interface PickerAccount {
  id: string;
  name: string;
  roles: PickerRole[];
}

export interface PickerRole {
  id: string;
  arn: string;
  viaLabel: string;
  elevated: boolean;
  description?: string;
  maxLabel: string;
  durations: { seconds: number; label: string; selected: boolean }[];
  reasons: string;
  search: string;
  highlighted: boolean;
}

export interface SignedOutPage {
  offer?: { count: number; token: string };
  ended?: number;
  idpLogout?: { url: string; name: string };
}
