// The bound of every HTTP figure: a Koa app with no middleware answering the same JSON bodies the
// bridge answers (BENCH_BODIES: {path: body}), on 127.0.0.1, in a process of its own.
import Koa from 'koa';

const bodies = JSON.parse(process.env.BENCH_BODIES ?? '{}');
const app = new Koa();
app.use(async (ctx) => {
  const body = bodies[ctx.path];
  if (body === undefined) ctx.status = 404;
  else ctx.body = body;
});
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ ready: true, url: `http://127.0.0.1:${server.address().port}` })}\n`);
});
process.once('SIGTERM', () => process.exit(0));
