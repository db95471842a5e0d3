import { createHash } from 'node:crypto';

import { html, SafeHtml } from './html.js';
import type { DevUser } from './users.js';

/**
 * The only styling, inlined so the pages need no other request. Its hash goes into the CSP
 * (`style-src 'sha256-…'`), which therefore allows exactly this stylesheet and no other inline style.
 */
const STYLESHEET = [
  'body{font-family:system-ui,sans-serif;margin:0;background:#f4f4f5;color:#18181b}',
  '.banner{background:#b45309;color:#fff;padding:.5rem 1rem;font-weight:600}',
  'main{max-width:28rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-radius:.5rem}',
  'label{display:block;margin-top:1rem}',
  'input{width:100%;box-sizing:border-box;padding:.5rem;margin-top:.25rem}',
  'button{margin-top:1.25rem;padding:.5rem 1rem}',
  '.error{background:#fee2e2;color:#991b1b;padding:.5rem}',
  'table{border-collapse:collapse;font-size:.9rem}td,th{padding:.25rem .5rem;text-align:left}',
].join('');

export const STYLESHEET_CSP_SOURCE = `'sha256-${createHash('sha256').update(STYLESHEET).digest('base64')}'`;

function layout(title: string, body: SafeHtml): SafeHtml {
  return html`<!DOCTYPE html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · rambridge development IdP</title>
        <style>
          ${new SafeHtml(STYLESHEET)}
        </style>
      </head>
      <body>
        <header class="banner">rambridge development IdP — not for production</header>
        <main>${body}</main>
      </body>
    </html> `;
}

export interface LoginPageModel {
  uid: string;
  clientId: string;
  /** Shown above the form after a failed attempt. */
  error?: string;
  /** Pre-fills the username (a login_hint, or what was typed before a failed attempt). */
  login?: string;
  users: readonly DevUser[];
}

export function loginPage(model: LoginPageModel): SafeHtml {
  const demoUsers = model.users.map(
    (u) =>
      html`<tr>
        <td>${u.username}</td>
        <td>${u.password}</td>
        <td>${u.groups.join(', ') || '—'}</td>
        <td>${u.mfa ? 'yes' : 'no'}</td>
      </tr>`,
  );
  // The button is the page's only "Sign in" text, so `text=Sign in` in a browser test finds just it.
  return layout(
    'Log in',
    html`<h1>Log in</h1>
      <p>to continue to <strong>${model.clientId}</strong></p>
      ${model.error !== undefined && html`<p class="error" role="alert">${model.error}</p>`}
      <form method="post" action="/interaction/${encodeURIComponent(model.uid)}/login">
        <label for="login">Username</label>
        <input id="login" name="login" type="text" autocomplete="username" required autofocus value="${model.login ?? ''}" />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <button type="submit">Sign in</button>
      </form>
      <h2>Demo users</h2>
      <table>
        <thead>
          <tr>
            <th>Username</th>
            <th>Password</th>
            <th>Groups</th>
            <th>MFA</th>
          </tr>
        </thead>
        <tbody>
          ${demoUsers}
        </tbody>
      </table>`,
  );
}

export function errorPage(error: string, description: string | undefined): SafeHtml {
  return layout(
    'Error',
    html`<h1>Sign-in failed</h1>
      <p class="error" role="alert"><strong>${error}</strong>${description !== undefined && html`: ${description}`}</p>
      <p>Go back to the application and start again.</p>`,
  );
}

/** `form` is oidc-provider's hidden logout form (it carries the XSRF token); the buttons submit it. */
export function logoutPage(host: string, form: SafeHtml): SafeHtml {
  return layout(
    'Sign out',
    html`<h1>Sign out of ${host}?</h1>
      ${form}
      <button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Yes, sign me out</button>
      <button type="submit" form="op.logoutForm">No, stay signed in</button>`,
  );
}

export function signedOutPage(clientId: string | undefined): SafeHtml {
  return layout(
    'Signed out',
    html`<h1>Signed out</h1>
      <p>Your sign-out${clientId !== undefined && html` from <strong>${clientId}</strong>`} was successful.</p>`,
  );
}
