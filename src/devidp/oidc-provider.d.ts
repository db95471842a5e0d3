/**
 * Minimal typings for oidc-provider 9, which ships none. Only what src/devidp uses is declared; the
 * shapes follow the package's docs/README.md ("Configuration options", "User flows").
 */
declare module 'oidc-provider' {
  import type Koa from 'koa';
  import type { IncomingMessage, ServerResponse } from 'node:http';
  import type { JWK } from 'jose';

  export interface ClientMetadata {
    client_id: string;
    client_secret: string;
    redirect_uris: string[];
    post_logout_redirect_uris?: string[];
    grant_types: string[];
    response_types: string[];
    token_endpoint_auth_method: string;
    require_auth_time?: boolean;
  }

  export interface AccountClaims {
    sub: string;
    [claim: string]: unknown;
  }

  export interface Account {
    accountId: string;
    claims(use: string, scope: string): Promise<AccountClaims>;
  }

  /** The Koa context inside provider callbacks; `oidc` carries the request's OIDC state. */
  export type ProviderContext = Koa.Context & {
    oidc: { client?: { clientId: string } };
  };

  export interface ErrorOut {
    error: string;
    error_description?: string;
  }

  export interface Configuration {
    clients: ClientMetadata[];
    claims: Record<string, string[]>;
    clientAuthMethods: string[];
    clientBasedCORS(ctx: ProviderContext, origin: string, client: unknown): boolean;
    conformIdTokenClaims: boolean;
    cookies: {
      keys: string[];
      long: { signed: boolean };
      short: { signed: boolean };
    };
    enabledJWA: { idTokenSigningAlgValues: string[] };
    features: {
      devInteractions: { enabled: boolean };
      resourceIndicators: { enabled: boolean };
      rpInitiatedLogout: {
        enabled: boolean;
        logoutSource(ctx: ProviderContext, form: string): Promise<void>;
        postLogoutSuccessSource(ctx: ProviderContext): Promise<void>;
      };
    };
    findAccount(ctx: ProviderContext, sub: string): Promise<Account | undefined>;
    jwks: { keys: JWK[] };
    pkce: { required(ctx: ProviderContext, client: unknown): boolean };
    renderError(ctx: ProviderContext, out: ErrorOut, error: Error): Promise<void>;
    responseTypes: string[];
    scopes: string[];
    ttl: Record<string, number>;
  }

  export interface InteractionResults {
    login?: { accountId: string; amr?: string[]; remember?: boolean };
    consent?: { grantId?: string };
  }

  export interface Interaction {
    uid: string;
    prompt: {
      name: string;
      details: { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    };
    params: Record<string, unknown> & { client_id: string };
    session?: { accountId: string };
    grantId?: string;
  }

  export class Grant {
    constructor(properties: { accountId: string; clientId: string });
    static find(id: string): Promise<Grant | undefined>;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    save(): Promise<string>;
  }

  export class Provider extends Koa {
    constructor(issuer: string, configuration: Partial<Configuration>);
    readonly issuer: string;
    get Grant(): typeof Grant;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    /** Stores the result and returns the URL to send the browser back to. */
    interactionResult(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<string>;
  }

  export namespace errors {
    class OIDCProviderError extends Error {
      status: number;
      error: string;
      error_description?: string;
    }
    class SessionNotFound extends OIDCProviderError {
      constructor(description?: string);
    }
  }

  export default Provider;
}
