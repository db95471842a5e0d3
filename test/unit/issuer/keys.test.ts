import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { ConfigInvalid, type SamlIdp } from '../../../src/config/index.js';
import { loadSpKeys } from '../../../src/idp/saml/pem.js';
import { loadKeySet } from '../../../src/issuer/keys.js';
import { connectRedis } from '../../../src/store/redis-connection.js';
import { testKeyPair, testKeyWithCertificates } from '../../helpers/saml-keys.js';

const { certificatePem: certificate } = await testKeyPair('file-values');

const pem = (type: 'rsa' | 'ec' | 'ed25519', options: object = {}) =>
  (generateKeyPairSync as (t: string, o: object) => { privateKey: string })(type, {
    ...options,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;

describe('issuer keys: RSA of 2048 bits or more with exponent 65537, or EC P-256, and nothing else', () => {
  test.each([
    ['RSA-1024', pem('rsa', { modulusLength: 1024 }), 'issuer.oidcKeys[0]: RSA keys need at least 2048 bits'],
    [
      'RSA-2048 with exponent 3',
      pem('rsa', { modulusLength: 2048, publicExponent: 3 }),
      'issuer.oidcKeys[0]: RSA keys need public exponent 65537',
    ],
    ['EC P-384', pem('ec', { namedCurve: 'P-384' }), 'issuer.oidcKeys[0]: use an RSA (2048+ bits) or EC P-256 key'],
    ['Ed25519', pem('ed25519'), 'issuer.oidcKeys[0]: use an RSA (2048+ bits) or EC P-256 key'],
  ])('%s is refused when the configuration loads', async (_name, privateKey, message) => {
    await expect(loadKeySet([{ privateKey }], 'oidc')).rejects.toThrow(message);
  });

  test('a SAML key must be RSA: an EC key would load and then fail every assertion', async () => {
    await expect(loadKeySet([{ privateKey: pem('ec', { namedCurve: 'P-256' }) }], 'saml')).rejects.toThrow(
      'issuer.samlKeys[0]: a SAML signing key must be RSA (2048+ bits)',
    );
  });

  test.each([
    ['RSA-2048', 'RS256', pem('rsa', { modulusLength: 2048 })],
    ['EC P-256', 'ES256', pem('ec', { namedCurve: 'P-256' })],
  ])('%s signs as %s', async (_name, alg, privateKey) => {
    expect((await loadKeySet([{ privateKey }], 'oidc')).signing.alg).toBe(alg);
  });
});

describe('each key once: one key listed twice would be published twice under one kid, and verifiers refuse both', () => {
  const rsa = pem('rsa', { modulusLength: 2048 });
  const ec = pem('ec', { namedCurve: 'P-256' });
  const pkcs1 = (pkcs8: string) => createPrivateKey(pkcs8).export({ type: 'pkcs1', format: 'pem' }) as string;

  test('the same OIDC key twice is refused, naming both entries', async () => {
    await expect(loadKeySet([{ privateKey: ec }, { privateKey: ec }], 'oidc')).rejects.toThrow(
      'issuer.oidcKeys[1]: the same key as issuer.oidcKeys[0]',
    );
  });

  test('in another PEM encoding it is still the same key', async () => {
    await expect(loadKeySet([{ privateKey: rsa }, { privateKey: ec }, { privateKey: pkcs1(rsa) }], 'oidc')).rejects.toThrow(
      'issuer.oidcKeys[2]: the same key as issuer.oidcKeys[0]',
    );
  });

  test('the same SAML key and certificate twice is refused', async () => {
    const saml = await testKeyPair('twice');
    const pair = { privateKey: saml.privateKeyPem, certificate: saml.certificatePem };
    await expect(loadKeySet([pair, pair], 'saml')).rejects.toThrow('issuer.samlKeys[1]: the same key as issuer.samlKeys[0]');
  });

  test('one SAML key with a renewed certificate loads, and both certificates are published', async () => {
    const [old, renewed] = await testKeyWithCertificates('renewed', 2);
    const set = await loadKeySet(
      [
        { privateKey: old!.privateKeyPem, certificate: old!.certificatePem },
        { privateKey: renewed!.privateKeyPem, certificate: renewed!.certificatePem },
      ],
      'saml',
    );
    expect(set.published.map((key) => key.certificatePem)).toEqual([
      new X509Certificate(old!.certificatePem).toString(),
      new X509Certificate(renewed!.certificatePem).toString(),
    ]);
  });

  test('two different keys load, and both are published', async () => {
    const set = await loadKeySet([{ privateKey: rsa }, { privateKey: ec }], 'oidc');
    expect(new Set(set.published.map((key) => key.kid)).size).toBe(2);
  });
});

describe('a key value that is neither PEM text nor a readable file: one kind of error everywhere, never repeating the value', () => {
  const key = pem('rsa', { modulusLength: 2048 });
  const values = [Buffer.from(key).toString('base64'), key.replace(/-----[A-Z ]+-----/g, '').trim()];
  const cases = values.flatMap((value, i): Array<[string, string, string, () => unknown]> => {
    const what = ['base64-wrapped', 'without its PEM header'][i]!;
    return [
      [`issuer keys: ${what}`, 'issuer.oidcKeys[0].privateKey', value, () => loadKeySet([{ privateKey: value }], 'oidc')],
      [
        `a SAML IdP’s SP key: ${what}`,
        'idps.corp.spPrivateKey',
        value,
        () => loadSpKeys({ id: 'corp', spPrivateKey: value, spCertificate: certificate } as unknown as SamlIdp),
      ],
      [
        `store.tls.keyFile: ${what}`,
        'store.tls.keyFile',
        value,
        () => connectRedis({ url: 'rediss://127.0.0.1:1', keyPrefix: 't:', tls: { keyFile: value } }, { lazyConnect: true }),
      ],
    ];
  });

  test.each(cases)('%s', async (_what, path, value, load) => {
    const err: unknown = await Promise.resolve()
      .then(load)
      .then(
        () => new Error('loaded'),
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(ConfigInvalid);
    const { problems } = err as ConfigInvalid;
    expect(problems).toEqual([
      {
        path,
        message: expect.stringMatching(
          /^cannot read the value \(\d+ characters: neither PEM text nor a file name\): (no such file|ENAMETOOLONG)$/,
        ) as unknown,
      },
    ]);
    expect((err as Error).message).not.toContain(value.slice(0, 40));
  });

  test('a path is still named, so the operator can fix it', async () => {
    await expect(loadKeySet([{ privateKey: '/etc/rambridge/missing.key' }], 'oidc')).rejects.toMatchObject({
      problems: [{ path: 'issuer.oidcKeys[0].privateKey', message: 'cannot read /etc/rambridge/missing.key: no such file' }],
    });
  });
});
