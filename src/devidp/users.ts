import { sameSecret } from '../secret-compare.js';

/** A person who can sign in at the development IdP. */
export interface DevUser {
  /** Stable opaque subject identifier. Not the email: a changed address must not change the identity. */
  sub: string;
  username: string;
  /** Plain text on purpose: these are demo accounts whose passwords the login page prints. */
  password: string;
  email: string;
  name: string;
  groups: readonly string[];
  /**
   * Report sign-ins as multi-factor (`amr: ["pwd","mfa"]`). The development IdP asks for no second
   * factor; the flag stands in for a corporate IdP that enforced one, so elevated roles can be tested.
   */
  mfa?: boolean;
}

/** The accounts the demo and the end-to-end tests sign in with; each password equals the username. */
export const DEMO_USERS: readonly DevUser[] = Object.freeze([
  {
    sub: 'u-6f1d2c9a4b7e4e0c',
    username: 'alice',
    password: 'alice',
    email: 'alice@example.com',
    name: 'Alice Example',
    groups: ['rambridge-dev', 'rambridge-ops'],
    mfa: true,
  },
  {
    sub: 'u-2b8e5a0f7c3d4a91',
    username: 'bob',
    password: 'bob',
    email: 'bob@example.com',
    name: 'Bob Example',
    groups: ['rambridge-readonly'],
  },
  {
    sub: 'u-9c4a7e1b5d2f4c68',
    username: 'mallory',
    password: 'mallory',
    email: 'mallory@example.com',
    name: 'Mallory Example',
    groups: [],
  },
]);

/** Authentication Method Reference values (RFC 8176) asserted for a password sign-in by `user`. */
export function amrFor(user: DevUser): string[] {
  return user.mfa ? ['pwd', 'mfa'] : ['pwd'];
}

/** Looks users up by username (sign-in) and by `sub` (oidc-provider's findAccount). */
export class UserDirectory {
  readonly #byUsername = new Map<string, DevUser>();
  readonly #bySub = new Map<string, DevUser>();

  /** @throws TypeError when two users share a username or a sub: sign-ins would be ambiguous. */
  constructor(users: readonly DevUser[]) {
    const problems: string[] = [];
    for (const [i, user] of users.entries()) {
      if (this.#byUsername.has(user.username)) problems.push(`users[${i}].username "${user.username}" is a duplicate`);
      if (this.#bySub.has(user.sub)) problems.push(`users[${i}].sub "${user.sub}" is a duplicate`);
      this.#byUsername.set(user.username, user);
      this.#bySub.set(user.sub, user);
    }
    if (problems.length) throw new TypeError(`invalid dev IdP users: ${problems.join('; ')}`);
  }

  get users(): readonly DevUser[] {
    return [...this.#byUsername.values()];
  }

  findBySub(sub: string): DevUser | undefined {
    return this.#bySub.get(sub);
  }

  /**
   * The user when `password` is theirs, else undefined. Compares digests in constant time, and also for
   * unknown usernames, so response timing does not reveal which usernames exist.
   */
  authenticate(username: string, password: string): DevUser | undefined {
    const user = this.#byUsername.get(username);
    const matches = sameSecret(password, user?.password ?? `\0${password}`);
    return user && matches ? user : undefined;
  }
}
