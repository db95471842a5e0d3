import request from 'supertest';

import { createDevIdp, DEMO_USERS } from '../../../src/devidp/index.js';
import { BRIDGE } from './fixture.js';

const ISSUER = 'http://127.0.0.1:4999';

describe('createDevIdp (not listening)', () => {
  test('serves discovery for the given issuer through app.callback()', async () => {
    const idp = await createDevIdp({ issuer: ISSUER, clients: [BRIDGE] });

    const res = await request(idp.callback()).get('/.well-known/openid-configuration').expect(200);

    // Endpoint URLs follow the request's Host (here supertest's own port); the issuer is fixed.
    expect(res.body).toMatchObject({ issuer: ISSUER, authorization_endpoint: expect.stringMatching(/\/auth$/) });
  });

  test('refuses a configuration without clients', async () => {
    await expect(createDevIdp({ issuer: ISSUER, clients: [] })).rejects.toThrow(TypeError);
  });

  test('refuses users that share a username, naming every duplicate', async () => {
    const [alice] = DEMO_USERS;
    if (!alice) throw new Error('DEMO_USERS is empty');
    const users = [alice, { ...alice, sub: 'u-other' }, { ...alice, username: 'alice2' }];

    await expect(createDevIdp({ issuer: ISSUER, clients: [BRIDGE], users })).rejects.toThrow(
      /users\[1\]\.username "alice" is a duplicate; users\[2\]\.sub "u-6f1d2c9a4b7e4e0c" is a duplicate/,
    );
  });

  test('a login form for a custom user list lists those users, not the demo ones', async () => {
    const carol = { sub: 'u-carol', username: 'carol', password: 'pw', email: 'c@example.com', name: 'Carol', groups: [] };
    const idp = await createDevIdp({ issuer: ISSUER, clients: [BRIDGE], users: [carol] });
    const agent = request.agent(idp.callback());

    const auth = await agent.get('/auth').query({
      client_id: BRIDGE.clientId,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: BRIDGE.redirectUris[0],
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
    const form = await agent.get(new URL(auth.headers.location ?? '', ISSUER).pathname).expect(200);

    expect(form.text).toContain('<td>carol</td>');
    expect(form.text).not.toContain('alice');
  });
});
