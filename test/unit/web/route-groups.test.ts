import Router from '@koa/router';
import Koa from 'koa';
import request from 'supertest';
import { routeByFirstSegment } from '../../../src/web/route-groups.js';

/** Three routers as the bridge has them: one segment split over two routers, another router on its own. */
function routers() {
  const api = new Router();
  api.get('/api/roles', (ctx) => {
    ctx.body = { from: 'api', route: (ctx as { _matchedRoute?: string })._matchedRoute };
  });
  api.post('/api/favourites/:roleId', (ctx) => {
    ctx.body = { from: 'api', roleId: ctx.params.roleId };
  });
  const more = new Router();
  more.put('/api/favourites/:roleId', (ctx) => {
    ctx.body = { from: 'more' };
  });
  more.get('/api/roles', (ctx) => {
    ctx.body = { from: 'more: never, the first match answers' };
  });
  const pages = new Router();
  pages.get('/roles', (ctx) => {
    ctx.body = { from: 'pages' };
  });
  pages.get('/roles/:alias', (ctx) => {
    ctx.body = { from: 'pages', alias: ctx.params.alias };
  });
  return { api, more, pages };
}

function appOf(...list: Router[]) {
  const app = new Koa();
  app.use(routeByFirstSegment(list));
  return app.callback();
}

describe('routeByFirstSegment: routers grouped by their routes’ first segment answer as one router would', () => {
  test('each request reaches its route, parameters and matched route name included; the first router to match answers', async () => {
    const { api, more, pages } = routers();
    const app = appOf(api, more, pages);
    expect((await request(app).get('/api/roles')).body).toEqual({ from: 'api', route: '/api/roles' });
    expect((await request(app).post('/api/favourites/dev')).body).toEqual({ from: 'api', roleId: 'dev' });
    expect((await request(app).put('/api/favourites/dev')).body).toEqual({ from: 'more' });
    expect((await request(app).get('/roles')).body).toEqual({ from: 'pages' });
    expect((await request(app).get('/roles/prod')).body).toEqual({ from: 'pages', alias: 'prod' });
  });

  test('paths match case-insensitively and with a trailing slash, as @koa/router matches them', async () => {
    const app = appOf(...Object.values(routers()));
    expect((await request(app).get('/API/Roles')).body).toEqual({ from: 'api', route: '/api/roles' });
    expect((await request(app).get('/api/roles/')).body).toEqual({ from: 'api', route: '/api/roles' });
    expect((await request(app).get('/ROLES')).body).toEqual({ from: 'pages' });
  });

  test('405 names every method of the path across the group’s routers; 404 elsewhere; 501 for a method no router has, on any path', async () => {
    const app = appOf(...Object.values(routers()));
    const wrongMethod = await request(app).delete('/api/favourites/dev');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow?.split(', ').sort()).toEqual(['POST', 'PUT']);
    expect((await request(app).get('/apix/roles')).status).toBe(404);
    expect((await request(app).get('/')).status).toBe(404);
    expect((await request(app).get('//api/roles')).status).toBe(404);
    expect((await request(app).trace('/api/roles')).status).toBe(501);
    expect((await request(app).trace('/nowhere')).status).toBe(501);
  });

  test('a request is matched against its own group’s routes only', async () => {
    const { api, more, pages } = routers();
    const app = appOf(api, more, pages);
    // routeByFirstSegment works on copies of the routes (as Router#use does): count the tests of the copies.
    const tested: string[] = [];
    const layer = Object.getPrototypeOf(pages.stack[0]) as { match: (this: { path: string }, path: string) => boolean };
    const { match } = layer;
    layer.match = function (path) {
      tested.push(this.path);
      return match.call(this, path);
    };
    try {
      await request(app).get('/api/roles').expect(200);
      expect(tested.length).toBeGreaterThan(0);
      expect(tested.filter((path) => !path.startsWith('/api/'))).toEqual([]);
    } finally {
      layer.match = match;
    }
  });

  test('a route whose first segment is a parameter or a pattern is refused when the routes are built', () => {
    for (const path of ['/:idp/acs', '/{lang}/roles', '/*rest']) {
      const router = new Router();
      router.get(path, (ctx) => {
        ctx.body = {};
      });
      expect(() => routeByFirstSegment([router])).toThrow(/first segment of a route must be fixed/);
    }
  });
});
