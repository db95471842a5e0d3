/**
 * Every default of the bridge configuration, in one place, each with the reason for its value.
 * The zod schema (schema.ts) reads these; the README's configuration reference is written from them.
 */
export const DEFAULTS = {
  server: {
    /** Loopback by default: exposing the bridge is a deliberate choice made in the config file. */
    host: '127.0.0.1',
    port: 8080,
    /** Absolute browser-session lifetime, seconds (NIST SP 800-63B AAL2: 12 h). */
    sessionMaxAgeSeconds: 12 * 3600,
    /** Idle timeout, seconds (NIST SP 800-63B AAL2: 30 min). */
    sessionIdleSeconds: 30 * 60,
    /**
     * Browser sessions one user (IdP issuer and subject) may hold at once; signing in beyond it
     * ends their oldest. Room for every browser and device a person uses; a loop of silent
     * sign-ins by one employee cannot fill the store.
     */
    maxSessionsPerUser: 10,
    /** Sign-in round trips (state, nonce, PKCE verifier) expire after this many seconds. */
    loginFlowTtlSeconds: 10 * 60,
    /**
     * Reverse proxies in front of the bridge whose X-Forwarded-* headers are trusted: 0 = none,
     * the connection is the client. X-Forwarded-For is read this many entries from the right; the
     * entries further left are written by the client and are never used.
     */
    trustProxy: 0,
    /**
     * On SIGTERM/SIGINT, requests in flight get this many seconds to finish before every remaining
     * connection is closed (idle ones close at once). Below the 30 s Kubernetes and systemd give
     * before SIGKILL.
     */
    shutdownGraceSeconds: 10,
  },
  idp: {
    /** No vendor assumptions: issuer, scopes and claims as configured, standard OIDC otherwise. */
    preset: 'generic' as const,
    /** RS256 is what every OIDC provider must support (OIDC Core §15.1); others are opt-in. */
    idTokenSigningAlg: 'RS256' as const,
    /** openid-client's 30 s tolerance for ID-token times. */
    clockToleranceSeconds: 30,
    /** Plain-http issuers are refused unless this is set (loopback development IdPs only). */
    insecureAllowHttp: false,
    /** Off: keeping the IdP's refresh token is a long-lived credential the operator opts into. */
    refreshGroups: false,
    /**
     * OIDC discovery is fetched again after this many seconds (on the next sign-in or `/readyz`):
     * often enough that readiness notices an IdP gone down within a probe period or two, rarely
     * enough to be one small GET a minute per instance.
     */
    discoveryRefreshSeconds: 60,
    /**
     * SAML IdP metadata (`metadata:` file or URL) is read again after this many seconds: a day
     * picks up a certificate the IdP publishes ahead of a rollover (they announce weeks ahead).
     */
    metadataRefreshSeconds: 24 * 3600,
    /**
     * After a failed discovery or metadata load, the next attempt waits this long, doubling up to
     * `loadRetryMaxSeconds`: sign-ins meanwhile get the failure at once instead of each waiting
     * for a timeout, and a down IdP is not hammered by every user retrying.
     */
    loadRetryMinSeconds: 1,
    loadRetryMaxSeconds: 60,
  },
  saml: {
    /** No vendor assumptions: signatures, NameID and attributes from the generic preset. */
    preset: 'generic' as const,
    /** Off: an IdP-initiated answer cannot be bound to the browser that posts it (login CSRF). */
    allowIdpInitiated: false,
    /** Clock difference allowed on NotBefore / NotOnOrAfter: a minute, the most the schema allows. */
    clockSkewSeconds: 60,
    /** An assertion older than this (from its IssueInstant) is refused even inside its own validity: 5 minutes. */
    maxAssertionAgeSeconds: 300,
  },
  /** The worker threads that run node-saml's validation of SAML answers (idp/saml/validation-pool.ts). */
  samlValidation: {
    /** One per CPU up to this many: a sign-in wave uses every core, and the threads' memory stays bounded. */
    maxThreads: 4,
    /** Threads stop after 30 quiet seconds, giving their memory back well within a minute of a wave. */
    idleMs: 30_000,
    /** A real answer validates in milliseconds; one taking 10 s is pathological, and its thread is ended. */
    timeoutMs: 10_000,
    /** Beyond 256 waiting answers (at most 256 KiB each), further ones are refused with 503 rather than queued. */
    maxQueued: 256,
    /** Per-thread V8 heap: the largest accepted answer (256 KiB) parses in a few MB. */
    maxHeapMb: 64,
    /**
     * Per-thread young generation: 8 MB validates as fast as V8's default (measured, bench/README.md
     * round 8) and keeps each thread ~30 MB smaller while a wave lasts.
     */
    maxYoungHeapMb: 8,
  },
  alibaba: {
    site: 'intl' as const,
    /** STS TCP+TLS connect timeout, ms: a reachable endpoint connects in well under a second. */
    stsConnectTimeoutMs: 5000,
    /** STS answer timeout, ms: AssumeRole answers in about 100 ms; a user is waiting on a page. */
    stsReadTimeoutMs: 10000,
    /**
     * Attempts per STS call, the first included. Only throttling and 5xx answers are retried
     * (isRetryableStsError): after a transport failure STS may have acted on the call.
     */
    stsMaxAttempts: 3,
  },
  account: {
    /** The RAM SAML and OIDC provider names docs/setup-alibaba-ram.md registers in each account. */
    samlProvider: 'rambridge',
    oidcProvider: 'rambridge',
  },
  role: {
    /** One hour, the STS default for AssumeRoleWith{SAML,OIDC}. */
    maxSessionDuration: 3600,
    /** Works for both `via` kinds and lands on any console page. */
    console: 'federation' as const,
    /** A minted SAML Response: RAM's longest-standing federation, and the one `saml-post` needs. */
    via: 'saml' as const,
    /** Elevation (recent MFA, justification, shorter sessions) is opted into per role. */
    elevated: false,
  },
  issuer: {
    /** Sign the Response element too, not only the Assertion: both are covered, whichever RAM checks. */
    signSamlResponse: true,
    /** The client id Alibaba recommends registering for OIDC providers (and ACK RRSA requires). */
    oidcAudience: 'sts.aliyuncs.com',
    /** Minted SAML assertions: the console's saml-post form travels through the browser; 5 minutes is the ceiling. */
    tokenLifetimeSeconds: 300,
    /**
     * Minted ID tokens for AssumeRoleWithOIDC go from the bridge straight to STS within a second;
     * a minute leaves room for clock differences and keeps a token that leaked (a proxy log, a
     * dump) useless almost at once. The bridge's clock must be NTP-synchronised.
     */
    oidcTokenLifetimeSeconds: 60,
  },
  elevation: {
    maxSessionDuration: 3600,
    /** A second factor within the last 15 minutes counts as recent. */
    mfaMaxAgeSeconds: 15 * 60,
    minJustificationLength: 10,
  },
  device: {
    /** Lifetime of a device_code/user_code pair, seconds (RFC 8628 §3.2; SECURITY.md, CLI sign-in: 600). */
    userCodeTtlSeconds: 600,
    /** Minimum seconds between two polls (RFC 8628 §3.2 default); each `slow_down` adds 5. */
    interval: 5,
    /** Lifetime of a CLI access token, seconds: short, because it is a bearer token that is not revocable once copied. */
    accessTokenTtlSeconds: 600,
    /** Absolute lifetime of a CLI session, seconds: refresh stops here and the user runs `rambridge login` again (NIST AAL2: 12 h). */
    sessionMaxAgeSeconds: 12 * 3600,
    /**
     * CLI sessions one user (IdP issuer and subject) may hold at once; a new one beyond it ends their
     * oldest. Room for a CLI on every machine and profile a person uses; approving one's own device
     * logins from many addresses cannot fill the store.
     */
    maxSessionsPerUser: 20,
    /**
     * Approving a device needs the IdP to say the user authenticated at most this long ago (`auth_time`,
     * `AuthnInstant`); otherwise the IdP is told to ask again (RFC 8628 §5.4 remote phishing).
     */
    reauthenticateAfterSeconds: 3600,
    /**
     * Device logins one client address (an IPv6 /64) may start per 10 minutes: a CLI starts one at a
     * time; this stops one client filling the store.
     */
    maxStartsPerIpPer10Minutes: 30,
    /**
     * Device logins all clients together may start per 10 minutes: what many addresses could store
     * between them (each pending login holds two entries for up to 15 minutes). Far above a 9 am wave
     * of `rambridge login` for tens of thousands of staff, whose sessions last 12 hours.
     */
    maxStartsPer10Minutes: 5000,
    /** Wrong user codes one user may enter per window (RFC 8628 §5.1: 5 attempts keep guessing at about 2^-32). */
    maxFailedUserCodes: 5,
    /** The window for `maxFailedUserCodes`, seconds. */
    failedUserCodesWindowSeconds: 15 * 60,
    /** Wrong user codes per minute across all users, against guessing spread over many accounts. */
    globalFailedUserCodesPerMinute: 100,
  },
  store: {
    type: 'memory' as const,
    /**
     * Entries the memory store holds at most (sessions, sign-ins and device logins in flight,
     * replay markers): about 1 KB each, so ~100 MB at the cap. When it is full, new writes answer
     * 503 ERR_STORE_FULL rather than evict: evicting would end someone's live session, or forget
     * a spent SAML assertion and let it be replayed. Entries that expired are swept first.
     */
    memoryMaxEntries: 100_000,
    /** Redis key prefix (store.type redis). */
    keyPrefix: 'rambridge:',
    /**
     * With Sentinel or Cluster, a write counts once one replica has it (WAIT 1), so a failover
     * cannot bring back a spent device code or lose a session it acknowledged. One Redis has no
     * replica to wait for (0).
     */
    replicaAcksReplicated: 1,
    /** How long a write waits for replica acknowledgements before the request answers 503. */
    replicaAckTimeoutMs: 500,
  },
  preferences: {
    /**
     * A user's favourites, recents and last durations live this long after their last change:
     * half a year keeps them across holidays and quiet quarters, and lets people who left vanish.
     */
    ttlSeconds: 180 * 24 * 3600,
    /** Starred roles kept per user; past it the one starred longest ago goes. */
    maxFavourites: 50,
    /** Recently used roles kept per user, most recent first. */
    maxRecents: 10,
    /** Last durations kept per user (one per role, the most recently used roles). */
    maxDurations: 50,
  },
  support: {
    /**
     * Who users without roles are told to ask. Without a contact the page says "your administrator":
     * a name invented here would send people to the wrong desk.
     */
    adminGroups: [] as string[],
  },
  log: {
    /** One line per request and per security event; `debug` adds detail for troubleshooting. */
    level: 'info' as const,
  },
  audit: {
    /** With the main log, so a default install loses nothing; a file of its own is one setting away. */
    destination: 'log',
  },
} as const;

/** Per-site Alibaba Cloud endpoints (docs/alibaba-cloud-reference.md §4, §6). */
export const SITES = {
  intl: {
    stsEndpoint: 'sts.aliyuncs.com',
    signinUrl: 'https://signin.alibabacloud.com',
    consoleUrl: 'https://home.console.alibabacloud.com',
    samlAudience: 'urn:alibaba:cloudcomputing:international',
  },
  cn: {
    stsEndpoint: 'sts.aliyuncs.com',
    signinUrl: 'https://signin.aliyun.com',
    consoleUrl: 'https://home.console.aliyun.com',
    samlAudience: 'urn:alibaba:cloudcomputing',
  },
} as const;

/** Limits of AssumeRoleWith{SAML,OIDC} DurationSeconds and RAM MaxSessionDuration. */
export const DURATION_BOUNDS = { min: 900, max: 43200 } as const;

/**
 * STS caps a chained AssumeRole (STS credentials assuming another role) at one hour, whatever the
 * target role's MaxSessionDuration: a chained role is offered, and granted, at most this long.
 */
export const CHAIN_MAX_SECONDS = 3600;

/** The longest justification an elevated request may carry: it goes into every audit record. */
export const JUSTIFICATION_MAX_LENGTH = 500;

/** How long the signed-out page's offer to end the user's CLI sessions too stays good (one use). */
export const SIGN_OUT_OFFER_TTL_SECONDS = 10 * 60;
