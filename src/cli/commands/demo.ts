import { InvalidArgumentError, type Command } from 'commander';
import { DEFAULTS } from '../../config/defaults.js';
import { createLogger } from '../../log.js';
import { freePortNear, portInUse } from '../port-in-use.js';
import { portOption } from '../port-option.js';
import { handleStopSignals } from './serve.js';
import { helpText } from '../i18n/help.js';
import { t } from '../i18n/index.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(helpText('demo.description'))
    .option('-p, --port <port>', helpText('demo.port'), process.env.PORT ?? '8080')
    .option('--idp-port <port>', helpText('demo.idpPort'), process.env.RAMBRIDGE_DEMO_IDP_PORT ?? '8081')
    .option('--saml-idp-port <port>', helpText('demo.samlIdpPort'), process.env.RAMBRIDGE_DEMO_SAML_IDP_PORT ?? '8082')
    .option('--emulator-port <port>', helpText('demo.emulatorPort'), process.env.RAMBRIDGE_DEMO_EMULATOR_PORT ?? '9090')
    .option('--log-level <level>', helpText('opt.logLevel'), process.env.LOG_LEVEL ?? 'warn')
    .option('--shutdown-grace <seconds>', helpText('demo.shutdownGrace'), parseGrace, DEFAULTS.server.shutdownGraceSeconds)
    .action(
      async (opts: {
        port: string;
        idpPort: string;
        samlIdpPort: string;
        emulatorPort: string;
        logLevel: string;
        shutdownGrace: number;
      }) => {
        // From the start: a stop during start-up must still take SimpleSAMLphp down with it.
        const signals = handleStopSignals();
        // Loaded on use: client commands must not pay for the IdP, emulator and server.
        const { startDemo } = await import('../../demo/index.js');
        const { demoBanner } = await import('../demo-banner.js');
        const ports = {
          port: portOption(opts.port, 'port', 'PORT'),
          idpPort: portOption(opts.idpPort, 'idp-port', 'RAMBRIDGE_DEMO_IDP_PORT'),
          emulatorPort: portOption(opts.emulatorPort, 'emulator-port', 'RAMBRIDGE_DEMO_EMULATOR_PORT'),
          samlIdpPort: portOption(opts.samlIdpPort, 'saml-idp-port', 'RAMBRIDGE_DEMO_SAML_IDP_PORT'),
        };
        const demo = await startDemo({
          ...ports,
          logger: createLogger({ level: opts.logLevel }),
          shutdownGraceSeconds: opts.shutdownGrace,
        }).catch(async (err: unknown) => {
          // `npm start` while another demo (or anything) holds 8080: say which port and how to move.
          const taken = (err as { port?: unknown }).port;
          const free = typeof taken === 'number' ? await freePortNear(taken) : undefined;
          throw (
            portInUse(
              err,
              [
                { port: ports.port, what: t('demoWhatBridge'), flag: 'port', env: 'PORT' },
                { port: ports.idpPort, what: t('demoWhatIdp'), flag: 'idp-port', env: 'RAMBRIDGE_DEMO_IDP_PORT' },
                {
                  port: ports.emulatorPort,
                  what: t('demoWhatEmulator'),
                  flag: 'emulator-port',
                  env: 'RAMBRIDGE_DEMO_EMULATOR_PORT',
                },
                { port: ports.samlIdpPort, what: 'SimpleSAMLphp', flag: 'saml-idp-port', env: 'RAMBRIDGE_DEMO_SAML_IDP_PORT' },
              ],
              free,
            ) ?? err
          );
        });
        process.stdout.write(demoBanner(demo));
        signals.started(() => demo.close());
      },
    );
}

function parseGrace(value: string): number {
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 300) throw new InvalidArgumentError(t('shutdownGraceRange'));
  return seconds;
}
