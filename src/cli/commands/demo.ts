import type { Command } from 'commander';
import { demoBanner, startDemo } from '../../demo/index.js';
import { createLogger } from '../../log.js';
import { stopOnSignals } from './serve.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the bridge with a development IdP and demo users on 127.0.0.1')
    .option('-p, --port <port>', 'bridge port (env PORT)', process.env.PORT ?? '8080')
    .option('--idp-port <port>', 'development IdP port', process.env.RAMBRIDGE_DEMO_IDP_PORT ?? '8081')
    .option('--log-level <level>', 'log level', process.env.LOG_LEVEL ?? 'warn')
    .action(async (opts: { port: string; idpPort: string; logLevel: string }) => {
      const demo = await startDemo({
        port: Number(opts.port),
        idpPort: Number(opts.idpPort),
        logger: createLogger({ level: opts.logLevel }),
      });
      process.stdout.write(demoBanner(demo));
      stopOnSignals(demo.close);
    });
}
