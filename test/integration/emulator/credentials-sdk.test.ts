import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Credential, { Config as CredentialConfig } from '@alicloud/credentials';
import * as $Sts from '@alicloud/sts20150401';
import { DEV, RAM_USER, oidcProviderArn, roleArn, sdkClient, startHarness, type Harness } from '../../helpers/emulator-harness.js';
import { selfSignedCertificate } from '../../helpers/emulator-x509.js';

/**
 * @alicloud/credentials against the emulator, each provider through its own transport:
 *
 * - `sts` and `credentials_uri` run in-process, feeding the STS SDK's `credential` option;
 * - `ram_role_arn` and `oidc_role_arn` hard-code https and take a host-only `stsEndpoint`, and
 *   their HTTP client (httpx) offers no CA option. They run in a child process whose
 *   NODE_EXTRA_CA_CERTS trusts the emulator's test certificate — Node reads that variable only
 *   at start-up, so this process cannot do it for itself.
 */

let h: Harness;
let caPem: string;
let dir: string;
beforeAll(async () => {
  const tls = await selfSignedCertificate('127.0.0.1', { ipAddress: '127.0.0.1' });
  caPem = tls.certificatePem;
  h = await startHarness({ tls: { key: tls.privateKeyPem, cert: tls.certificatePem } });
  dir = await mkdtemp(join(tmpdir(), 'rambridge-credentials-'));
});
afterAll(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

const credentialsClient = (config: Record<string, unknown>) => new Credential.default(new CredentialConfig(config));

async function stsSession() {
  const res = await sdkClient(
    h.url,
    { accessKeyId: RAM_USER.accessKeyId, accessKeySecret: RAM_USER.accessKeySecret },
    { ca: caPem },
  ).assumeRole(
    new $Sts.AssumeRoleRequest({ roleArn: roleArn(DEV, 'ci-target'), roleSessionName: 'via-credentials', externalId: 'ci-external-id' }),
  );
  return res.body!.credentials!;
}

async function callerArnWith(credential: unknown): Promise<string | undefined> {
  return (await sdkClient(h.url, { credential }, { ca: caPem }).getCallerIdentity()).body!.arn;
}

it('type sts: static STS credentials sign GetCallerIdentity', async () => {
  const c = await stsSession();
  const credential = credentialsClient({
    type: 'sts',
    accessKeyId: c.accessKeyId,
    accessKeySecret: c.accessKeySecret,
    securityToken: c.securityToken,
  });
  expect(await callerArnWith(credential)).toBe(`acs:ram::${DEV}:assumed-role/ci-target/via-credentials`);
});

it('type credentials_uri: a loopback credentials server feeds the SDK', async () => {
  const c = await stsSession();
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        Code: 'Success',
        AccessKeyId: c.accessKeyId,
        AccessKeySecret: c.accessKeySecret,
        SecurityToken: c.securityToken,
        Expiration: c.expiration,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const credential = credentialsClient({
      type: 'credentials_uri',
      credentialsURI: `http://127.0.0.1:${(server.address() as AddressInfo).port}/creds`,
    });
    expect(await callerArnWith(credential)).toBe(`acs:ram::${DEV}:assumed-role/ci-target/via-credentials`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Runs @alicloud/credentials in a child process that trusts the emulator's certificate. */
async function credentialsInChild(
  config: Record<string, unknown>,
): Promise<{ accessKeyId: string; accessKeySecret: string; securityToken: string }> {
  const caFile = join(dir, 'emulator-ca.pem');
  await writeFile(caFile, caPem);
  const script = `
    const { default: Credential, Config } = require('@alicloud/credentials');
    new Credential(new Config(JSON.parse(process.env.CREDENTIALS_CONFIG))).getCredential()
      .then((c) => process.stdout.write(JSON.stringify(c)))
      .catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: caFile, CREDENTIALS_CONFIG: JSON.stringify(config) },
  });
  return JSON.parse(stdout);
}

it('type ram_role_arn: a RAM user key assumes a role over HTTPS', async () => {
  const c = await credentialsInChild({
    type: 'ram_role_arn',
    accessKeyId: RAM_USER.accessKeyId,
    accessKeySecret: RAM_USER.accessKeySecret,
    roleArn: roleArn(DEV, 'ci-target'),
    roleSessionName: 'from-ram-role-arn',
    externalId: 'ci-external-id',
    roleSessionExpiration: 900,
    stsEndpoint: new URL(h.url).host,
  });
  expect(c.accessKeyId).toMatch(/^STS\./);
  const credential = credentialsClient({
    type: 'sts',
    accessKeyId: c.accessKeyId,
    accessKeySecret: c.accessKeySecret,
    securityToken: c.securityToken,
  });
  expect(await callerArnWith(credential)).toBe(`acs:ram::${DEV}:assumed-role/ci-target/from-ram-role-arn`);
});

it('type oidc_role_arn: a token file is exchanged over HTTPS', async () => {
  const tokenFile = join(dir, 'token.jwt');
  await writeFile(tokenFile, await h.oidc());
  const c = await credentialsInChild({
    type: 'oidc_role_arn',
    roleArn: roleArn(DEV, 'oidc-reader'),
    oidcProviderArn: oidcProviderArn(DEV),
    oidcTokenFilePath: tokenFile,
    roleSessionName: 'from-oidc-role-arn',
    stsEndpoint: new URL(h.url).host,
  });
  const credential = credentialsClient({
    type: 'sts',
    accessKeyId: c.accessKeyId,
    accessKeySecret: c.accessKeySecret,
    securityToken: c.securityToken,
  });
  expect(await callerArnWith(credential)).toBe(`acs:ram::${DEV}:assumed-role/oidc-reader/from-oidc-role-arn`);
});
