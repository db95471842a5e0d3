import type { Command } from 'commander';

/** `[command line, what it does]`; the command line starts with `rambridge <command>`. */
type Example = [string, string];

/**
 * Examples shown at the end of `rambridge <command> --help`, per command path. Every command has
 * some (a test walks the command tree): a flag list says what is possible, an example says what
 * to type.
 */
export const HELP_EXAMPLES: Record<string, Example[]> = {
  '': [
    ['rambridge login --server https://rambridge.example.com', 'sign in once per session'],
    ['rambridge roles', 'your roles'],
    ['rambridge exec dev-admin -- aliyun ecs DescribeRegions', 'run a tool as a role'],
    ['rambridge demo', 'try everything on this machine (npm start)'],
  ],
  serve: [
    ['rambridge serve --config /etc/rambridge/config.yaml', 'run the bridge'],
    ['RAMBRIDGE_SESSION_SECRET=… rambridge serve -c config.yaml', '${VAR} in the file come from the environment'],
  ],
  demo: [
    ['rambridge demo', 'bridge on 127.0.0.1:8080, IdP on 8081, emulator on 9090'],
    ['rambridge demo --port 8090', 'another port for the bridge (or PORT=8090 npm start)'],
  ],
  emulator: [
    ['rambridge emulator --config config/emulator-demo.yaml', 'the Alibaba Cloud stand-in on 127.0.0.1:9090'],
    ['rambridge emulator -c emulator.yaml -p 9443 --tls-cert c.pem --tls-key k.pem', 'over HTTPS'],
  ],
  'check-config': [
    ['rambridge check-config config.yaml', 'every problem with its path; exit 2 when invalid'],
    ['rambridge check-config config.yaml && rambridge serve -c config.yaml', 'check before starting'],
  ],
  explain: [
    ['rambridge explain -c config.yaml --groups eng-dev,eng-oncall', 'which roles these groups get, and by which grant'],
    ['rambridge explain -c config.yaml -g eng-dev --role prod-ops', 'why prod-ops is (not) granted'],
    ['rambridge explain -c config.yaml -g eng-ops -e a@example.com --amr pwd,mfa', 'with email and MFA'],
  ],
  keys: [['rambridge keys generate --dir /etc/rambridge/keys --purpose saml', 'a new SAML signing key and certificate']],
  'keys generate': [
    ['rambridge keys generate --dir /etc/rambridge/keys', 'a SAML key (0600) and its self-signed certificate'],
    ['rambridge keys generate --dir /etc/rambridge/keys --purpose oidc --alg ES256', 'an OIDC signing key'],
  ],
  login: [
    ['rambridge login --server https://rambridge.example.com', 'opens the browser; approve the code shown'],
    ['rambridge login --no-browser', 'over SSH: open the link on any device'],
    ['rambridge login --qr', 'also a QR code, to approve on a phone'],
  ],
  logout: [
    ['rambridge logout', 'end the session of the default server'],
    ['rambridge logout --server https://rambridge.example.com', 'of another server'],
  ],
  whoami: [
    ['rambridge whoami', 'who, which groups, until when'],
    ['rambridge whoami --json', 'for scripts'],
  ],
  roles: [
    ['rambridge roles', 'every role, favourites and recent ones first'],
    ['rambridge roles prd ops', 'fuzzy filter: finds prod-ops'],
    ['rambridge roles --favourite dev-admin', 'star (or unstar) a role'],
  ],
  fav: [
    ['rambridge fav dev-admin', 'star a role: first in `roles` and on the web'],
    ['rambridge fav admin', 'an alias or a unique fuzzy name works too'],
  ],
  unfav: [['rambridge unfav dev-admin', 'unstar it (here and on the web)']],
  creds: [
    ['rambridge creds dev-admin', 'a summary, no secret (on a terminal)'],
    ['eval "$(rambridge creds dev-admin --format env)"', 'the keys into this shell'],
    ['rambridge creds prod-ops -d 30m --justification "INC-42"', 'an elevated role, for 30 minutes'],
    ['rambridge creds dev-readonly --format aliyun-profile --profile dev', 'a profile for the aliyun CLI'],
  ],
  exec: [
    ['rambridge exec dev-admin -- aliyun ecs DescribeRegions', 'one command with the role'],
    ['rambridge exec dev-readonly -d 2h -- terraform plan', 'a longer session for a longer job'],
  ],
  'configure-aliyun': [
    ['rambridge configure-aliyun', 'a self-renewing profile rambridge-ROLE per role'],
    ['rambridge configure-aliyun dev-admin --set-current dev-admin', "and make it the aliyun CLI's default"],
  ],
  'credential-server': [
    ['rambridge credential-server --role dev-readonly', 'prints export ALIBABA_CLOUD_CREDENTIALS_URI=…'],
    ['rambridge credential-server -r dev-admin -p 41234 -d 4h', 'a fixed port, longer sessions'],
  ],
  console: [
    ['rambridge console dev-admin', 'the Alibaba Cloud console as dev-admin, in a new tab'],
    ['rambridge console dev-admin -s ecs', 'straight to the ECS console (the server lists its services)'],
    ['rambridge console prod-readonly --no-browser', 'only print the link'],
  ],
  sessions: [['rambridge sessions list -c config.yaml -u alice@example.com', "a user's live CLI sessions"]],
  'sessions list': [
    ['rambridge sessions list -c config.yaml -u alice@example.com', 'host, IP, version, created, expires'],
    ['rambridge sessions list -c config.yaml -u 00u1abcd --idp okta --json', 'by IdP subject, for scripts'],
  ],
  'sessions revoke': [['rambridge sessions revoke -c config.yaml -u alice@example.com', 'a lost laptop: every CLI session ends now']],
  completion: [
    ['source <(rambridge completion bash)', 'bash: commands, flags and your role names (add to ~/.bashrc)'],
    ['rambridge completion zsh > "${fpath[1]}/_rambridge"', 'zsh'],
    ['rambridge completion fish > ~/.config/fish/completions/rambridge.fish', 'fish'],
  ],
};

/** The path of a command under the program: "keys generate"; "" for the program itself. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Adds each command's examples to the end of its `--help`, the whole tree down. */
export function addHelpExamples(command: Command): void {
  const examples = HELP_EXAMPLES[commandPath(command)];
  if (examples) {
    const text = examples.map(([line, what]) => `  # ${what}\n  ${line}\n`).join('');
    command.addHelpText('after', `\nExamples:\n${text}`);
  }
  for (const sub of command.commands) addHelpExamples(sub);
}
