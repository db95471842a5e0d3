/**
 * The English text of `rambridge --help`: the reference catalogue for help, as en.ts is for the
 * messages. Kept apart from en.ts so the `creds` fast path (cached-creds.ts), which may load en.ts,
 * never loads the help. Only the explanations are here: command names, flags, placeholders such as
 * <role> and example command lines stay in the code, the same in every language.
 */
export const helpEn = {
  // Commander's own words.
  'section.usage': 'Usage:',
  'section.arguments': 'Arguments:',
  'section.options': 'Options:',
  'section.globalOptions': 'Global Options:',
  'section.commands': 'Commands:',
  'section.examples': 'Examples:',
  'extra.choices': 'choices',
  'extra.default': 'default',
  'extra.preset': 'preset',
  'extra.env': 'env',
  // "(default: "saml", choices: …)" after an option's description.
  'extra.open': ' (',
  'extra.close': ')',
  'extra.colon': ': ',
  'extra.separator': ', ',
  'opt.help': 'display help for command',
  'cmd.help': 'display help for command',
  'opt.version': 'print the version of rambridge',

  program: 'Corporate sign-in to Alibaba Cloud RAM roles: console and CLI credentials',

  // Shared by several commands.
  'opt.server': 'rambridge server (default: RAMBRIDGE_SERVER, else the last one logged in to)',
  'opt.jsonErrors': 'machine-readable output, errors included',
  'opt.json': 'machine-readable output',
  'opt.duration':
    'session length: 900, 15m, 1h, 1h30m, 12h (default: the last one you chose for the role, else 1h or the role maximum if lower); cut, with a note, to what is left of your session',
  'opt.justification': 'why you need an elevated role (recorded by the server; always fetches new credentials)',
  'arg.role': 'role id, alias or unique fuzzy match',
  'arg.roleLong': 'role id, alias (RAM role name, name without the account) or a unique fuzzy match',
  'opt.logLevel': 'log level',

  'serve.description': 'run the bridge with a configuration file',
  'serve.config': 'YAML configuration (${ENV} references are expanded)',
  'serve.port': 'listen on this port instead of server.port (0: any free port)',

  'demo.description': 'run the bridge with a development IdP and demo users on 127.0.0.1',
  'demo.port': 'bridge port (env PORT)',
  'demo.idpPort': 'development IdP port',
  'demo.samlIdpPort': 'SimpleSAMLphp port (when installed)',
  'demo.emulatorPort': 'Alibaba Cloud emulator port',
  'demo.shutdownGrace': 'seconds requests in flight get to finish on Ctrl+C',

  'emulator.description': 'run the local Alibaba Cloud emulator: STS, console sign-in, role SSO and a console page',
  'emulator.config': 'emulator YAML (${ENV} references are expanded)',
  'emulator.host': 'address to listen on',
  'emulator.port': 'port to listen on',
  'emulator.tlsCert': 'serve HTTPS with this PEM certificate (for clients that only speak https)',
  'emulator.tlsKey': 'the PEM private key of --tls-cert',

  'checkConfig.description': 'validate a configuration file and report every problem at once (exit 2 when invalid)',
  'checkConfig.file': 'YAML configuration',
  'checkConfig.online': 'also run OIDC discovery and fetch SAML metadata of every IdP, and check Redis (reachable, noeviction)',

  'explain.description': 'show which roles a user with these groups gets, and why (or why not)',
  'explain.config': 'YAML configuration: only accounts, roles and grants are read (no secrets needed)',
  'explain.groups': 'comma-separated IdP groups',
  'explain.group': 'one IdP group, taken whole (repeatable; for a group whose name holds a comma)',
  'explain.idp': 'the id of the IdP the user signs in through (for idps conditions)',
  'explain.email': "the user's email (for emailDomains conditions)",
  'explain.amr': 'comma-separated authentication methods, e.g. pwd,mfa',
  'explain.role': 'explain this one role, granted or not',

  'keys.description': 'manage the signing keys of the bridge as issuer toward RAM',
  'keysGenerate.description': 'write a new private key (mode 0600) and, for SAML, a self-signed certificate',
  'keysGenerate.dir': 'directory to write into (kept out of version control)',
  'keysGenerate.purpose': 'saml or oidc',
  'keysGenerate.alg': 'oidc keys: RS256 or ES256',
  'keysGenerate.bits':
    "RSA key size: 2048, 3072 or 4096; default the smallest NIST SP 800-57 accepts for the key's 3 years (2048 until the end of 2027, then 3072)",

  'login.description': 'sign in through your company login page in a browser (OAuth device flow)',
  'login.noBrowser': 'only print the link (also: RAMBRIDGE_NO_BROWSER=1; automatic over SSH)',
  'login.qr': 'also print a QR code of the link, to approve on a phone (printed above the code, which stays in view)',

  'logout.description': 'end the session at the server and delete local tokens and cached credentials',

  'whoami.description': 'show who you are signed in as, your groups, and when the session ends',

  'roles.description': 'list your roles by account; a filter narrows them (fuzzy: "prod read")',
  'roles.filter': 'words to look for in role, account and description',
  'roles.favourite': 'mark a role as favourite, or unmark it',

  'fav.description': 'star a role: listed first by `roles` and on the web picker',
  'unfav.description': 'unstar a role',

  'creds.description': 'temporary credentials for a role, cached until 5 minutes before they expire',
  'creds.format': 'output: summary (the default on a terminal) never shows secrets; env is the default otherwise',
  'creds.profile': 'aliyun-profile: the profile to write (default: rambridge-ROLE, the name configure-aliyun gives it)',
  'creds.region': "aliyun-profile: region_id of a new profile (default: the current profile's)",

  'exec.description': "run a command with a role's credentials in its environment",
  'exec.command': 'the command and its arguments, after --',

  'configureAliyun.description': 'write an External-mode profile per role to ~/.aliyun/config.json (other profiles are kept)',
  'configureAliyun.roles': 'only these roles (default: all of yours)',
  'configureAliyun.region': "region_id of new profiles (default: the current profile's, else cn-hangzhou)",
  'configureAliyun.duration': 'session length the profiles ask for (default 1h, or the role maximum if lower)',
  'configureAliyun.setCurrent': "make this role's profile the aliyun CLI's default (`current`); otherwise it is left as it is",

  'credentialServer.description': "serve one role's credentials on 127.0.0.1 for ALIBABA_CLOUD_CREDENTIALS_URI",
  'credentialServer.port': 'port on 127.0.0.1 (0: any free port)',

  'console.description': 'open the Alibaba Cloud console as a role, in a new browser tab',
  'console.service': "land on this service's console (ecs, oss, ram, actiontrail…: the server's list)",
  'console.destination': 'land on this console page (one the server allows)',
  'console.noBrowser': 'only print the link',

  'sessions.description': "list or end users' CLI sessions (administrators)",
  'sessionsList.description': 'list the live CLI sessions of a user',
  'sessionsRevoke.description': 'end every CLI session of a user: their access and refresh tokens stop working at once',
  'sessions.config': 'YAML configuration of the running bridge (for its store)',
  'sessions.user': "the user's email or IdP subject",
  'sessions.idp': 'only users of this IdP (its id in the configuration)',

  'completion.description': 'print shell completion (commands, flags, your role names) and a prompt function for bash, zsh or fish',
  'completion.shell': 'the shell',
  'completion.listRoles': 'print the role ids cached for the default server',

  // The examples' comments (help-examples.ts holds the command lines).
  'ex.program.login': 'sign in once per session',
  'ex.program.roles': 'your roles',
  'ex.program.exec': 'run a tool as a role',
  'ex.program.demo': 'try everything on this machine (npm start)',
  'ex.serve.run': 'run the bridge',
  'ex.serve.env': '${VAR} in the file come from the environment',
  'ex.demo.default': 'bridge on 127.0.0.1:8080, IdP on 8081, emulator on 9090',
  'ex.demo.port': 'another port for the bridge (or PORT=8090 npm start)',
  'ex.emulator.default': 'the Alibaba Cloud stand-in on 127.0.0.1:9090',
  'ex.emulator.https': 'over HTTPS',
  'ex.checkConfig.check': 'every problem with its path; exit 2 when invalid',
  'ex.checkConfig.before': 'check before starting',
  'ex.explain.groups': 'which roles these groups get, and by which grant',
  'ex.explain.role': 'why prod-ops is (not) granted',
  'ex.explain.mfa': 'with email and MFA',
  'ex.keys.saml': 'a new SAML signing key and certificate',
  'ex.keysGenerate.saml': 'a SAML key (0600) and its self-signed certificate',
  'ex.keysGenerate.oidc': 'an OIDC signing key',
  'ex.login.server': 'opens the browser; approve the code shown',
  'ex.login.noBrowser': 'over SSH: open the link on any device',
  'ex.login.qr': 'also a QR code, to approve on a phone',
  'ex.logout.default': 'end the session of the default server',
  'ex.logout.server': 'of another server',
  'ex.whoami.default': 'who, which groups, until when',
  'ex.whoami.json': 'for scripts',
  'ex.roles.all': 'every role, favourites and recent ones first',
  'ex.roles.filter': 'fuzzy filter: finds prod-ops',
  'ex.roles.favourite': 'star (or unstar) a role',
  'ex.fav.star': 'star a role: first in `roles` and on the web',
  'ex.fav.fuzzy': 'an alias or a unique fuzzy name works too',
  'ex.unfav.unstar': 'unstar it (here and on the web)',
  'ex.creds.summary': 'a summary, no secret (on a terminal)',
  'ex.creds.env': 'the keys into this shell',
  'ex.creds.elevated': 'an elevated role, for 30 minutes',
  'ex.creds.profile': 'a profile for the aliyun CLI',
  'ex.exec.one': 'one command with the role',
  'ex.exec.longer': 'a longer session for a longer job',
  'ex.configureAliyun.all': 'a self-renewing profile rambridge-ROLE per role',
  'ex.configureAliyun.current': "and make it the aliyun CLI's default",
  'ex.credentialServer.default': 'prints export ALIBABA_CLOUD_CREDENTIALS_URI=…',
  'ex.credentialServer.port': 'a fixed port, longer sessions',
  'ex.console.home': 'the Alibaba Cloud console as dev-admin, in a new tab',
  'ex.console.service': 'straight to the ECS console (the server lists its services)',
  'ex.console.noBrowser': 'only print the link',
  'ex.sessions.list': "a user's live CLI sessions",
  'ex.sessionsList.email': 'host, IP, version, created, expires',
  'ex.sessionsList.subject': 'by IdP subject, for scripts',
  'ex.sessionsRevoke.lost': 'a lost laptop: every CLI session ends now',
  'ex.completion.bash': 'bash: commands, flags and your role names (add to ~/.bashrc)',
  'ex.completion.zsh': 'zsh',
  'ex.completion.fish': 'fish',
} as const;

export type HelpKey = keyof typeof helpEn;

/** A language's help catalogue: every key of the English one, no other. */
export type HelpCatalogue = { readonly [K in HelpKey]: string };
