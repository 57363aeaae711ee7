/**
 * The OpenAPI document cannot drift from the routes: every route a group registers is in the
 * document with its method, and every documented operation exists. The served document is the
 * same object.
 */
import type { Router } from 'express';
import { openApiDocument } from '../../src/server/openapi';
import { ROUTE_GROUPS } from '../../src/server/routes';
import type { RouteContext } from '../../src/server/routes/route-context';
import { type Harness, request, startHarness } from './support/harness';

function registeredRoutes(): string[] {
  const seen: string[] = [];
  const record =
    (method: string) =>
    (path: string): Router => {
      seen.push(`${method} /api${path.replace(/:(\w+)/g, '{$1}')}`);
      return recorder;
    };
  const recorder = {
    get: record('get'),
    post: record('post'),
    delete: record('delete'),
    put: record('put'),
    patch: record('patch'),
  } as unknown as Router;
  for (const group of ROUTE_GROUPS) group(recorder, {} as RouteContext);
  return seen.sort();
}

function documentedRoutes(): string[] {
  const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths)
    .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`))
    .sort();
}

it('documents exactly the routes the server registers', () => {
  expect(documentedRoutes()).toEqual(registeredRoutes());
  expect(registeredRoutes().length).toBeGreaterThanOrEqual(16);
});

it('documents the report body from the same schema the server validates with', () => {
  const doc = openApiDocument() as {
    components: { schemas: { ReportInput: { properties: Record<string, unknown>; required: string[] } } };
  };
  const report = doc.components.schemas.ReportInput;
  expect(Object.keys(report.properties).sort()).toEqual(
    ['accounts', 'hosts', 'indicators', 'kind', 'narrative', 'techniques', 'timeline', 'title', 'to'].sort(),
  );
  expect(report.required.sort()).toEqual(['kind', 'title']);
});

describe('served', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('at /api/openapi.json without a login', async () => {
    const r = await request(h.url, 'GET', '/api/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    expect(r.body.openapi).toBe('3.1.0');
  });
});
