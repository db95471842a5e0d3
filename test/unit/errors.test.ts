import { BridgeError, ERROR_STATUS, sentence, toBridgeError } from '../../src/errors.js';

describe('BridgeError', () => {
  test('carries a stable code, its status and a safe message', () => {
    const err = new BridgeError('ERR_ROLE_NOT_GRANTED', {
      userMessage: sentence('err.ERR_ROLE_NOT_GRANTED'),
      hint: sentence('hint.mfa', { minutes: 15 }),
    });
    expect(err).toMatchObject({
      code: 'ERR_ROLE_NOT_GRANTED',
      status: 403,
      expose: true,
      userMessage: 'You do not have this role.',
      hint: 'Sign in again with MFA (within the last 15 minutes), then retry.',
      oauthError: 'access_denied',
    });
    // The entries they were made of, for a page in another language.
    expect(err.sentences).toEqual({
      message: { key: 'err.ERR_ROLE_NOT_GRANTED', values: {} },
      hint: { key: 'hint.mfa', values: { minutes: 15 } },
    });
  });

  test('a sentence is named by a key of the catalogue, with exactly the values of its placeholders', () => {
    // Each line below would be a compile error without its @ts-expect-error (npm run check runs tsc on test/).
    // @ts-expect-error a key the catalogue does not have
    sentence('err.ERR_NO_SUCH_THING');
    // @ts-expect-error {idp} has no value
    sentence('err.ERR_IDP_UNREACHABLE');
    // @ts-expect-error {idp} has no value
    sentence('err.ERR_IDP_UNREACHABLE', {});
    // @ts-expect-error a value for a placeholder the sentence does not have
    sentence('err.ERR_IDP_UNREACHABLE', { idp: 'Okta', name: 'x' });
    // @ts-expect-error a sentence without placeholders takes no values
    sentence('err.ERR_ROLE_NOT_GRANTED', {});
    // Braces around anything but a name are text, not a placeholder.
    expect(sentence('err.ERR_BAD_REQUEST.json')).toEqual({ key: 'err.ERR_BAD_REQUEST.json', values: {} });
    expect(new BridgeError('ERR_IDP_UNREACHABLE', { userMessage: sentence('err.ERR_IDP_UNREACHABLE', { idp: 'Okta' }) }).userMessage).toBe(
      'Okta could not be reached.',
    );
  });

  test('server errors never expose their message', () => {
    const err = new BridgeError('ERR_INTERNAL', { userMessage: sentence('err.ERR_UNAVAILABLE.redis') });
    expect(err.expose).toBe(false);
    expect(err.userMessage).toBe('Something went wrong on our side.');
    expect(err.sentences.message.key).toBe('err.status.500');
  });

  test('a userMessage set on any other 5xx error is shown, not replaced by the generic sentence', () => {
    const err = new BridgeError('ERR_UNAVAILABLE', { userMessage: sentence('err.ERR_UNAVAILABLE.redis') });
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
