import { BridgeError, sentence } from '../errors.js';

/**
 * The user is waiting on "Open console" and the sign-in token lives 30 seconds: a sign-in service
 * that has not answered in 10 is down for this click.
 */
const SIGNIN_TIMEOUT_MS = 10_000;

export interface StsCredentialsForSignin {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
}

/**
 * Console sign-in with STS credentials (docs/alibaba-cloud-reference.md §6): GetSigninToken, then send the
 * browser to Action=Login. There is no SDK for the sign-in service, so this is plain HTTP. The
 * credentials travel in the POST body, never in a URL (the documented GET works too, but URLs end
 * up in access logs).
 */
export async function getSigninToken(
  signinUrl: string,
  credentials: StsCredentialsForSignin,
  fetchImpl: typeof fetch = fetch,
): Promise<string> {
  const body = new URLSearchParams({
    Action: 'GetSigninToken',
    AccessKeyId: credentials.accessKeyId,
    AccessKeySecret: credentials.accessKeySecret,
    SecurityToken: credentials.securityToken,
    TicketType: 'mini',
  });
  let response: Response;
  try {
    response = await fetchImpl(`${signinUrl}/federation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      // Never followed: a 307/308 would post the secret and token again to the origin it names.
      // A 3xx is then not ok, so it fails below with its status.
      redirect: 'manual',
      signal: AbortSignal.timeout(SIGNIN_TIMEOUT_MS),
    });
  } catch (err) {
    throw signinFailed({ error: (err as Error).name }, err);
  }
  const json = (await response.json().catch(() => ({}))) as { SigninToken?: unknown; Code?: unknown; RequestId?: unknown };
  if (!response.ok || typeof json.SigninToken !== 'string') {
    throw signinFailed({ status: response.status, stsCode: json.Code, requestId: json.RequestId });
  }
  return json.SigninToken;
}

/** The Login URL the browser goes to; it carries only the single-use, 30-second sign-in token. */
export function consoleLoginUrl(signinUrl: string, options: { signinToken: string; destination: string; loginUrl: string }): string {
  const params = new URLSearchParams({
    Action: 'Login',
    LoginUrl: options.loginUrl,
    Destination: options.destination,
    SigninToken: options.signinToken,
  });
  return `${signinUrl}/federation?${params}`;
}

function signinFailed(detail: Record<string, unknown>, cause?: unknown): BridgeError {
  return new BridgeError('ERR_CONSOLE_SIGNIN_FAILED', {
    userMessage: sentence('err.ERR_CONSOLE_SIGNIN_FAILED'),
    hint: sentence('hint.consoleSignin'),
    detail,
    cause,
  });
}
