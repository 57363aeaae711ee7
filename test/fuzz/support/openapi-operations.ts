/**
 * Every operation of the served OpenAPI document, flattened for the fuzzer: method, path template,
 * parameters by place, the request body's schema with `$ref`s resolved, and the documented
 * statuses. Nothing here names a route: routes other engineers add are fuzzed as soon as the
 * document lists them.
 */
import fc from 'fast-check';
import {
  hostileHeaderValue,
  hostilePathSegment,
  hostileQueryValue,
  nastyString,
  PROTO_KEYS,
  wrongType,
} from './hostile-values';

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  minLength?: number;
  maxItems?: number;
};

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: JsonSchema;
}

export interface Operation {
  method: string;
  /** `/api/teams/{team}/inbox` */
  path: string;
  params: Parameter[];
  body?: JsonSchema;
  /** Documented response statuses. */
  statuses: number[];
}

interface Document {
  paths: Record<
    string,
    Record<string, { parameters?: Parameter[]; requestBody?: unknown; responses: object }>
  >;
  components: { schemas: Record<string, JsonSchema> };
}

/** Resolves local `$ref`s (bounded: a cycle stops at depth 20 with an open schema). */
function resolve(doc: Document, schema: JsonSchema | undefined, depth = 0): JsonSchema | undefined {
  if (!schema || depth > 20) return schema && {};
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return resolve(doc, doc.components.schemas[name], depth + 1);
  }
  const out: JsonSchema = { ...schema };
  if (schema.properties)
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([k, v]) => [k, resolve(doc, v, depth + 1) ?? {}]),
    );
  if (schema.items) out.items = resolve(doc, schema.items, depth + 1);
  if (schema.anyOf) out.anyOf = schema.anyOf.map((s) => resolve(doc, s, depth + 1) ?? {});
  if (schema.oneOf) out.oneOf = schema.oneOf.map((s) => resolve(doc, s, depth + 1) ?? {});
  return out;
}

export function operationsOf(document: unknown): Operation[] {
  const doc = document as Document;
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const body = (op.requestBody as { content?: Record<string, { schema?: JsonSchema }> } | undefined)
        ?.content?.['application/json']?.schema;
      const resolved = resolve(doc, body);
      ops.push({
        method: method.toUpperCase(),
        path,
        params: op.parameters ?? [],
        ...(resolved ? { body: resolved } : {}),
        statuses: Object.keys(op.responses).map(Number),
      });
    }
  }
  return ops;
}

/** Values the exercise knows (teams, hosts, injects, ids the test created), by parameter or field name. */
export type Known = Record<string, string[]>;

/** A value that matches `schema` — sometimes valid input, so the handler behind validation runs too. */
export function plausible(
  schema: JsonSchema | undefined,
  name: string,
  known: Known,
  depth = 0,
): fc.Arbitrary<unknown> {
  const s = schema ?? {};
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.const !== undefined) return fc.constant(s.const);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((a) => plausible(a, name, known, depth + 1)));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  const names = known[name];
  switch (type) {
    case 'integer':
    case 'number': {
      const min = Math.max(s.minimum ?? 0, -1e9);
      return fc.integer({ min, max: Math.min(s.maximum ?? min + 100, 1e9) });
    }
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(plausible(s.items, name, known, depth + 1), {
        maxLength: Math.min(s.maxItems ?? 3, 3),
      });
    case 'object':
      if (depth > 4 || !s.properties) return fc.constant({});
      return fc.record(
        Object.fromEntries(
          Object.entries(s.properties).map(([k, v]) => [k, plausible(v, k, known, depth + 1)]),
        ),
        { requiredKeys: s.required?.filter((k) => k in (s.properties ?? {})) ?? [] },
      );
    default:
      return names?.length
        ? fc.constantFrom(...names)
        : fc.string({ minLength: Math.max(1, s.minLength ?? 1), maxLength: Math.min(s.maxLength ?? 30, 30) });
  }
}

/** A field's value: usually plausible, often a wrong type or a nasty string. */
function fieldValue(schema: JsonSchema | undefined, name: string, known: Known): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: plausible(schema, name, known) },
    { weight: 2, arbitrary: wrongType },
    { weight: 1, arbitrary: nastyString },
  );
}

/** A JSON body for `schema`: its fields (any may be missing) with hostile values, plus stray keys. */
export function hostileBody(schema: JsonSchema | undefined, known: Known): fc.Arbitrary<unknown> {
  const props = schema?.properties ?? {};
  const fields = fc.record(
    Object.fromEntries(Object.entries(props).map(([k, v]) => [k, fieldValue(v, k, known)])),
    { requiredKeys: [] },
  );
  const stray = fc.dictionary(
    fc.oneof(fc.constantFrom(...PROTO_KEYS, 'isAdmin', 'team', 'role'), fc.string({ maxLength: 8 })),
    wrongType,
    {
      maxKeys: 2,
    },
  );
  return fc.oneof(
    { weight: 3, arbitrary: plausible(schema, 'body', known) },
    { weight: 6, arbitrary: fields },
    { weight: 2, arbitrary: fc.tuple(fields, stray).map(([f, s]) => ({ ...s, ...f })) },
    { weight: 1, arbitrary: wrongType },
  );
}

/** A concrete path: each `{param}` a known value or a hostile segment. */
export function hostilePath(op: Operation, known: Known): fc.Arbitrary<string> {
  const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const segment = (name: string) => {
    const p = op.params.find((x) => x.in === 'path' && x.name === name);
    const valid = plausible(p?.schema ?? { type: 'string' }, name, known).map((v) =>
      encodeURIComponent(String(v)),
    );
    return fc.oneof({ weight: 3, arbitrary: valid }, { weight: 2, arbitrary: hostilePathSegment });
  };
  return fc
    .record(Object.fromEntries(names.map((n) => [n, segment(n)])))
    .map((values) =>
      op.path.replace(/\{(\w+)\}/g, (_m, n: string) => (values as Record<string, string>)[n]!),
    );
}

type Pair = [string, string];

/** A query string: declared parameters (plausible, hostile, repeated, bracketed) and stray ones. */
export function hostileQuery(op: Operation, known: Known): fc.Arbitrary<string> {
  const declared = op.params.filter((p) => p.in === 'query');
  const one = (p: Parameter): fc.Arbitrary<Pair[]> =>
    fc.oneof(
      { weight: 3, arbitrary: plausible(p.schema, p.name, known).map((v): Pair[] => [[p.name, String(v)]]) },
      { weight: 3, arbitrary: hostileQueryValue.map((v): Pair[] => [[p.name, v]]) },
      {
        weight: 1,
        arbitrary: fc.tuple(hostileQueryValue, hostileQueryValue).map(([a, b]): Pair[] => [
          [p.name, a],
          [p.name, b],
        ]),
      },
      { weight: 1, arbitrary: hostileQueryValue.map((v): Pair[] => [[`${p.name}[]`, v]]) },
      { weight: 1, arbitrary: hostileQueryValue.map((v): Pair[] => [[`${p.name}[a]`, v]]) },
    );
  const stray = fc.array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom(...PROTO_KEYS, 'filter.__proto__', 'filter.host.name', 'evil'),
        fc.string({ maxLength: 6 }),
      ),
      hostileQueryValue,
    ),
    { maxLength: 2 },
  );
  const parts = fc.tuple(
    fc
      .subarray(declared)
      .chain((ps): fc.Arbitrary<Pair[][]> => (ps.length ? fc.tuple(...ps.map(one)) : fc.constant([]))),
    fc.oneof({ weight: 3, arbitrary: fc.constant<Pair[]>([]) }, { weight: 1, arbitrary: stray }),
  );
  return parts.map(([d, s]) => {
    const pairs: Pair[] = [...d.flat(), ...s];
    if (!pairs.length) return '';
    return `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
  });
}

/** Declared header parameters with hostile values. */
export function hostileHeaders(op: Operation): fc.Arbitrary<Record<string, string>> {
  const declared = op.params.filter((p) => p.in === 'header');
  return fc.record(Object.fromEntries(declared.map((p) => [p.name.toLowerCase(), hostileHeaderValue])), {
    requiredKeys: [],
  }) as fc.Arbitrary<Record<string, string>>;
}
