import * as client from 'openid-client';
import { createStsClient } from '../../../src/sts/index.js';
import { bridgeWithEmulator } from '../../helpers/bridge.js';
import { FakeOp } from '../../helpers/fake-op.js';
import { ALICE, decide, signedIn } from '../../helpers/device-flow.js';

/**
 * An independent client proves RFC 8628 compliance: openid-client's own device flow finds every
 * endpoint from the server URL alone, polls by the spec, and then refreshes, calls the API and
 * revokes. The credentials it gets are checked with GetCallerIdentity on the Alibaba emulator.
 */
let op: FakeOp;
let bridge: Awaited<ReturnType<typeof bridgeWithEmulator>>;
beforeAll(async () => {
  op = await FakeOp.start();
  // A 1 s interval keeps the suite fast; openid-client really waits it out between polls.
  bridge = await bridgeWithEmulator(op, { config: (c) => (c.device.interval = 1) });
});
afterAll(async () => {
  await bridge?.close();
  await op?.close();
});

/** Statuses of the token endpoint's answers, in order. */
const tokenAnswers: number[] = [];

/** openid-client waits in real time; the bridge's manual clock follows it at every request. */
const followRealTime: typeof fetch = async (input, init) => {
  bridge.clock.set(Date.now());
  const res = await fetch(input, init);
  if (new Request(input).url.endsWith('/oauth/token')) tokenAnswers.push(res.status);
  return res;
};

async function firstPoll(): Promise<void> {
  const before = tokenAnswers.length;
  while (tokenAnswers.length === before) await new Promise((resolve) => setTimeout(resolve, 50));
}

test('openid-client: discovery, device authorization with PKCE, polling, refresh, API and revocation', async () => {
  const config = await client.discovery(new URL(bridge.publicUrl), 'rambridge-cli', undefined, client.None(), {
    execute: [client.allowInsecureRequests],
    [client.customFetch]: followRealTime,
  });
  expect(config.serverMetadata().device_authorization_endpoint).toBe(`${bridge.publicUrl}/oauth/device_authorization`);

  const verifier = client.randomPKCECodeVerifier();
  const started = await client.initiateDeviceAuthorization(config, {
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    client_host: 'openid-client-box',
  });
  expect(started).toMatchObject({ verification_uri: `${bridge.publicUrl}/device`, expires_in: 600, interval: 1 });

  const polling = client.pollDeviceAuthorizationGrant(config, started, { code_verifier: verifier });
  // Approve only after openid-client has heard authorization_pending and kept polling.
  await firstPoll();
  expect(tokenAnswers.at(-1)).toBe(400);
  await decide(await signedIn(bridge, op, ALICE), started.user_code, 'approve');
  const tokens = await polling;
  expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 600 });

  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
  expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);

  const api = (path: string, method = 'GET', body?: object) =>
    client.fetchProtectedResource(
      config,
      refreshed.access_token,
      new URL(path, bridge.publicUrl),
      method,
      body && JSON.stringify(body),
      new Headers({ 'content-type': 'application/json' }),
    );
  const who = await (await api('/api/whoami')).json();
  expect(who).toMatchObject({ subject: 'alice-sub', email: 'alice@example.com' });

  const creds = (await (await api('/api/credentials', 'POST', { role: 'dev-readonly', durationSeconds: 900 })).json()) as {
    accessKeyId: string;
    accessKeySecret: string;
    securityToken: string;
  };
  const sts = createStsClient({ endpoint: new URL(bridge.emulatorUrl).host, protocol: 'http' });
  const caller = await sts.getCallerIdentity({
    accessKeyId: creds.accessKeyId,
    accessKeySecret: creds.accessKeySecret,
    securityToken: creds.securityToken,
  });
  expect(caller).toMatchObject({ accountId: '1111222233334444', identityType: 'AssumedRoleUser' });
  expect(caller.arn).toContain('rambridge-dev-readonly');

  await client.tokenRevocation(config, refreshed.refresh_token!, { token_type_hint: 'refresh_token' });
  await expect(api('/api/whoami')).rejects.toBeInstanceOf(client.WWWAuthenticateChallengeError);
  await expect(client.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
});

test('openid-client hears access_denied when the user denies', async () => {
  const config = await client.discovery(new URL(bridge.publicUrl), 'rambridge-cli', undefined, client.None(), {
    execute: [client.allowInsecureRequests],
    [client.customFetch]: followRealTime,
  });
  const started = await client.initiateDeviceAuthorization(config, {});
  const polling = client.pollDeviceAuthorizationGrant(config, started);
  await decide(await signedIn(bridge, op, ALICE), started.user_code, 'deny');
  await expect(polling).rejects.toMatchObject({ error: 'access_denied' });
});
