import type { Command } from 'commander';
import { helpText } from './i18n/help.js';
import type { HelpKey } from './i18n/help-en.js';

/**
 * `[command line, what it does]`; the command line starts with `rambridge <command>` and is the
 * same in every language, what it does is a key of the help catalogue.
 */
type Example = [string, HelpKey];

/**
 * Examples shown at the end of `rambridge <command> --help`, per command path. Every command has
 * some (a test walks the command tree): a flag list says what is possible, an example says what
 * to type.
 */
export const HELP_EXAMPLES: Record<string, Example[]> = {
  '': [
    ['rambridge login --server https://rambridge.example.com', 'ex.program.login'],
    ['rambridge roles', 'ex.program.roles'],
    ['rambridge exec dev-admin -- aliyun ecs DescribeRegions', 'ex.program.exec'],
    ['rambridge demo', 'ex.program.demo'],
  ],
  serve: [
    ['rambridge serve --config /etc/rambridge/config.yaml', 'ex.serve.run'],
    ['RAMBRIDGE_SESSION_SECRET=… rambridge serve -c config.yaml', 'ex.serve.env'],
  ],
  demo: [
    ['rambridge demo', 'ex.demo.default'],
    ['rambridge demo --port 8090', 'ex.demo.port'],
  ],
  emulator: [
    ['rambridge emulator --config config/emulator-demo.yaml', 'ex.emulator.default'],
    ['rambridge emulator -c emulator.yaml -p 9443 --tls-cert c.pem --tls-key k.pem', 'ex.emulator.https'],
  ],
  'check-config': [
    ['rambridge check-config config.yaml', 'ex.checkConfig.check'],
    ['rambridge check-config config.yaml && rambridge serve -c config.yaml', 'ex.checkConfig.before'],
  ],
  explain: [
    ['rambridge explain -c config.yaml --groups eng-dev,eng-oncall', 'ex.explain.groups'],
    ['rambridge explain -c config.yaml -g eng-dev --role prod-ops', 'ex.explain.role'],
    ['rambridge explain -c config.yaml -g eng-ops -e a@example.com --amr pwd,mfa', 'ex.explain.mfa'],
  ],
  keys: [['rambridge keys generate --dir /etc/rambridge/keys --purpose saml', 'ex.keys.saml']],
  'keys generate': [
    ['rambridge keys generate --dir /etc/rambridge/keys', 'ex.keysGenerate.saml'],
    ['rambridge keys generate --dir /etc/rambridge/keys --purpose oidc --alg ES256', 'ex.keysGenerate.oidc'],
  ],
  login: [
    ['rambridge login --server https://rambridge.example.com', 'ex.login.server'],
    ['rambridge login --no-browser', 'ex.login.noBrowser'],
    ['rambridge login --qr', 'ex.login.qr'],
  ],
  logout: [
    ['rambridge logout', 'ex.logout.default'],
    ['rambridge logout --server https://rambridge.example.com', 'ex.logout.server'],
  ],
  whoami: [
    ['rambridge whoami', 'ex.whoami.default'],
    ['rambridge whoami --json', 'ex.whoami.json'],
  ],
  roles: [
    ['rambridge roles', 'ex.roles.all'],
    ['rambridge roles prd ops', 'ex.roles.filter'],
    ['rambridge roles --favourite dev-admin', 'ex.roles.favourite'],
  ],
  fav: [
    ['rambridge fav dev-admin', 'ex.fav.star'],
    ['rambridge fav auditor', 'ex.fav.fuzzy'],
  ],
  unfav: [['rambridge unfav dev-admin', 'ex.unfav.unstar']],
  creds: [
    ['rambridge creds dev-admin', 'ex.creds.summary'],
    ['eval "$(rambridge creds dev-admin --format env)"', 'ex.creds.env'],
    ['rambridge creds prod-admin -d 30m --justification "INC-42: fix orders DB"', 'ex.creds.elevated'],
    ['rambridge creds dev-readonly --format aliyun-profile --profile dev', 'ex.creds.profile'],
  ],
  exec: [
    ['rambridge exec dev-admin -- aliyun ecs DescribeRegions', 'ex.exec.one'],
    ['rambridge exec dev-readonly -d 2h -- terraform plan', 'ex.exec.longer'],
  ],
  'configure-aliyun': [
    ['rambridge configure-aliyun', 'ex.configureAliyun.all'],
    ['rambridge configure-aliyun dev-admin --set-current dev-admin', 'ex.configureAliyun.current'],
  ],
  'credential-server': [
    ['rambridge credential-server --role dev-readonly', 'ex.credentialServer.default'],
    ['rambridge credential-server -r dev-admin -p 41234 -d 4h', 'ex.credentialServer.port'],
  ],
  console: [
    ['rambridge console dev-admin', 'ex.console.home'],
    ['rambridge console dev-admin -s ecs', 'ex.console.service'],
    ['rambridge console prod-readonly --no-browser', 'ex.console.noBrowser'],
  ],
  sessions: [['rambridge sessions list -c config.yaml -u alice@example.com', 'ex.sessions.list']],
  'sessions list': [
    ['rambridge sessions list -c config.yaml -u alice@example.com', 'ex.sessionsList.email'],
    ['rambridge sessions list -c config.yaml -u 00u1abcd --idp okta --json', 'ex.sessionsList.subject'],
  ],
  'sessions revoke': [['rambridge sessions revoke -c config.yaml -u alice@example.com', 'ex.sessionsRevoke.lost']],
  completion: [
    ['source <(rambridge completion bash)', 'ex.completion.bash'],
    ['rambridge completion zsh > "${fpath[1]}/_rambridge"', 'ex.completion.zsh'],
    ['rambridge completion fish > ~/.config/fish/completions/rambridge.fish', 'ex.completion.fish'],
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
    const text = examples.map(([line, what]) => `  # ${helpText(what)}\n  ${line}\n`).join('');
    command.addHelpText('after', `\n${helpText('section.examples')}\n${text}`);
  }
  for (const sub of command.commands) addHelpExamples(sub);
}
