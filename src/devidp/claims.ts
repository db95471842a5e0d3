import type { Account, Configuration } from 'oidc-provider';

import type { UserDirectory } from './users.js';

/**
 * Which claims each scope releases. `amr` sits under `openid` because oidc-provider only copies
 * claims that some granted scope names into the ID token, and the bridge reads `amr` from there.
 */
export const SCOPE_CLAIMS: Configuration['claims'] = {
  openid: ['sub', 'amr'],
  email: ['email', 'email_verified'],
  profile: ['name'],
  groups: ['groups'],
};

/**
 * oidc-provider's `findAccount` over the directory. Users without groups get `groups: []` rather than
 * no claim, so a relying party can tell "member of nothing" from "the IdP did not send groups".
 */
export function findAccountIn(directory: UserDirectory): Configuration['findAccount'] {
  return async (_ctx, sub) => {
    const user = directory.findBySub(sub);
    if (!user) return undefined;
    const account: Account = {
      accountId: user.sub,
      claims: async () => ({
        sub: user.sub,
        email: user.email,
        // The directory is the source of truth for these addresses; nothing here is self-asserted.
        email_verified: true,
        name: user.name,
        groups: [...user.groups],
      }),
    };
    return account;
  };
}
