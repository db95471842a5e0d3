import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';

/**
 * The import directions of docs/ARCHITECTURE.md#layers, as `npm run check` enforces them
 * (eslint.config.js). Only that rule runs here, without type information, on made-up files.
 */
const eslint = new ESLint({
  cwd: fileURLToPath(new URL('../..', import.meta.url)),
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
});

/** The rules that fire on `file` importing `specifier` (a parse error would show as `null`). */
async function findings(file: string, specifier: string): Promise<(string | null)[]> {
  const [result] = await eslint.lintText(`import { x } from '${specifier}';\nexport { x };\n`, { filePath: file });
  return result!.messages.map((m) => m.ruleId);
}

describe('layers', () => {
  test.each([
    ['src/console/probe.ts', '../web/views.js', 'a use case importing HTTP'],
    ['src/web/routes/probe.ts', '../../app.js', 'a route importing the composition of the app'],
    ['src/idp/saml/probe.ts', '../../issuer/index.js', 'an adapter importing the domain above it'],
    ['src/issuance/probe.ts', '../device/index.js', 'a use case importing its sibling'],
    ['src/cli/client/probe.ts', '../../device/index.js', 'the CLI client importing server code'],
    ['src/errors.ts', './log.js', 'a bottom-layer module importing its sibling'],
    ['src/error-messages/probe.ts', '../errors.js', 'the error sentences importing the error type above them'],
    ['src/error-messages/probe.ts', '../web/i18n/index.js', 'the error sentences importing the web catalogues'],
  ])('%s importing %s is refused (%s)', async (file, specifier) => {
    expect(await findings(file, specifier)).toEqual(['no-restricted-imports']);
  });

  test.each([
    ['src/web/routes/probe.ts', '../../console/destinations.js'],
    ['src/web/probe.ts', './routes/roles.js'],
    ['src/issuance/probe.ts', '../mapping/index.js'],
    ['src/config/probe.ts', '../errors.js'],
    ['src/errors.ts', './error-messages/index.js'],
    ['src/web/i18n/probe.ts', '../../error-messages/index.js'],
    ['src/cli/client/probe.ts', '../../wire/oauth.js'],
    ['src/cli/commands/probe.ts', '../../main.js'],
    // The emulator's own console.ts is not the console layer: paths are matched from src/, exactly.
    ['src/emulator/actions/probe.ts', '../console.js'],
  ])('%s importing %s is allowed', async (file, specifier) => {
    expect(await findings(file, specifier)).toEqual([]);
  });
});
