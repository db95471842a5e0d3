import { BridgeError, ERROR_STATUS, toBridgeError } from '../../src/errors.js';

describe('BridgeError', () => {
  test('carries a stable code, its status and a safe message', () => {
    const err = new BridgeError('ERR_ROLE_NOT_GRANTED', { userMessage: 'You do not have this role.', hint: 'Ask.' });
    expect(err).toMatchObject({
      code: 'ERR_ROLE_NOT_GRANTED',
      status: 403,
      expose: true,
      userMessage: 'You do not have this role.',
      hint: 'Ask.',
      oauthError: 'access_denied',
    });
  });

  test('server errors never expose their message', () => {
    const err = new BridgeError('ERR_INTERNAL', { userMessage: 'db password is hunter2' });
    expect(err.expose).toBe(false);
    expect(err.userMessage).toBe('Something went wrong on our side.');
  });

  test('a userMessage set on any other 5xx error is shown, not replaced by the generic sentence', () => {
    const err = new BridgeError('ERR_UNAVAILABLE', { userMessage: 'The shared store (Redis) is unavailable.' });
    expect(err).toMatchObject({ status: 503, expose: true, userMessage: 'The shared store (Redis) is unavailable.' });
    // Without one, the generic sentence for its status.
    expect(new BridgeError('ERR_IDP_UNREACHABLE').userMessage).toBe(new BridgeError('ERR_STS_UNAVAILABLE').userMessage);
  });

  test('unknown throwables become a non-exposed ERR_INTERNAL keeping the cause', () => {
    const cause = new Error('boom');
    const err = toBridgeError(cause);
    expect(err).toMatchObject({ code: 'ERR_INTERNAL', status: 500, expose: false, oauthError: 'server_error' });
    expect(err.cause).toBe(cause);
    const same = new BridgeError('ERR_CSRF');
    expect(toBridgeError(same)).toBe(same);
  });

  test('every code maps to an HTTP error status', () => {
    for (const status of Object.values(ERROR_STATUS)) expect(status).toBeGreaterThanOrEqual(400);
  });
});
