import { createHash, randomBytes } from 'node:crypto';
import { createStsClient } from '../../src/sts/index.js';
import { artifactPath } from '../helpers/browser.js';
import { demoInBrowser, signInAs } from '../helpers/demo.js';

/**
 * The CLI sign-in against the whole demo, the browser half in real Chromium: a device asks, alice
 * opens verification_uri_complete, signs in through the development IdP, checks who asked and
 * approves; the device gets tokens, then credentials that the Alibaba emulator recognises.
 */
const env = demoInBrowser();

async function post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${env.demo.bridgeUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

test('device login: approve in Chromium as alice, then credentials for dev-readonly that STS recognises', async () => {
  const verifier = randomBytes(32).toString('base64url');
  const started = await post('/oauth/device_authorization', {
    client_id: 'rambridge-cli',
    client_host: 'e2e-workstation',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  expect(started.status).toBe(200);
  const { device_code, user_code, verification_uri_complete } = started.body;
  const poll = () =>
    post('/oauth/token', {
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      device_code: device_code!,
      code_verifier: verifier,
      client_id: 'rambridge-cli',
    });

  const path = new URL(verification_uri_complete!).pathname + new URL(verification_uri_complete!).search;
  const page = await signInAs(env.browser, env.demo, 'alice', path);
  await expect(page.getByTestId('device-code-input').inputValue()).resolves.toBe(user_code);
  // Signed in, the code prefilled: still nothing is approved.
  await expect(poll()).resolves.toMatchObject({ status: 400, body: { error: 'authorization_pending' } });

  await page.getByTestId('device-code-submit').click();
  await page.getByTestId('device-confirm').waitFor();
  await expect(page.getByTestId('device-user-code').textContent()).resolves.toBe(user_code);
  await expect(page.getByTestId('device-client-host').textContent()).resolves.toBe('e2e-workstation');
  await expect(page.getByTestId('device-client-ip').textContent()).resolves.toBe('127.0.0.1');
  await page.screenshot({ path: artifactPath('device-confirm.png'), fullPage: true });
  await page.getByTestId('device-approve').click();
  await page.getByTestId('device-approved').waitFor();
  await page.screenshot({ path: artifactPath('device-approved.png'), fullPage: true });
  await page.context().close();

  const tokens = await poll();
  expect(tokens).toMatchObject({ status: 200, body: { token_type: 'Bearer' } });
  const res = await fetch(`${env.demo.bridgeUrl}/api/credentials`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens.body.access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'dev-readonly', durationSeconds: 3600 }),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  const creds = (await res.json()) as Record<string, string>;
  expect(creds.expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

  const sts = createStsClient({ endpoint: new URL(env.demo.emulatorUrl).host, protocol: 'http' });
  const who = await sts.getCallerIdentity({
    accessKeyId: creds.accessKeyId!,
    accessKeySecret: creds.accessKeySecret!,
    securityToken: creds.securityToken!,
  });
  expect(who).toMatchObject({ accountId: '1111222233334444', identityType: 'AssumedRoleUser' });
  expect(who.arn).toContain('rambridge-dev-readonly');
  expect(who.arn).toContain(creds.roleSessionName);
});
