/**
 * Declarative routes: each route states its parameters, query, body, answers
 * and the problems it can return once. The same declaration validates requests
 * (as middleware, handing the handler input typed from its schemas) and
 * generates the OpenAPI document, so the two cannot drift apart.
 */
import type { Static, TObject, TSchema } from '@sinclair/typebox'
import type { ValidateFunction } from 'ajv/dist/2020.js'
import type { Context, Hono, MiddlewareHandler } from 'hono'
import type { TokenScope } from '../node/accounts/account-service.js'
import type { JsonSchema } from '../record/types/definition.js'
import { compileQuerySchema, compileSchema, violationsOf } from '../record/types/validator.js'
import { negotiate } from './negotiate.js'
import { PROBLEM_TYPE_PREFIX, problem, problemStatus, type ProblemSlug } from './problem.js'

export interface ResponseSpec {
  readonly description: string
  /** Media type → schema (omit for an empty body). */
  readonly content?: Readonly<Record<string, JsonSchema>>
  readonly headers?: Readonly<Record<string, { description: string }>>
}

/** Problem type → when the route returns it. */
export type ProblemsSpec = Readonly<Partial<Record<ProblemSlug, string>>>

/** Request body: media type → schema. JSON bodies are parsed and validated; others arrive as bytes. */
export type BodySpec = Readonly<Record<string, TSchema>>

const JSON_TYPE = 'application/json'
/** Refuses bytes that are not UTF-8 rather than replacing them; one for every request body, as it keeps no state between calls. */
export const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

type StaticOr<S, Otherwise> = S extends TSchema ? Static<S> : Otherwise
type BodyOf<B> = B extends BodySpec
  ? (typeof JSON_TYPE extends keyof B ? Static<B[typeof JSON_TYPE]> : never) | ([Exclude<keyof B, typeof JSON_TYPE>] extends [never] ? never : Uint8Array)
  : undefined

export interface RouteInput<P = undefined, Q = undefined, B = undefined> {
  readonly params: StaticOr<P, Record<string, never>>
  readonly query: StaticOr<Q, Record<string, never>>
  readonly body: BodyOf<B>
  /** The media type to answer with: what the Accept header prefers of those the route's success responses offer. */
  readonly accept: string
}

export interface RouteSpec<P extends TObject | undefined = undefined, Q extends TObject | undefined = undefined, B extends BodySpec | undefined = undefined> {
  readonly method: 'get' | 'post' | 'delete'
  /** OpenAPI path template, e.g. `/v1/records/{id}`. */
  readonly path: string
  readonly operationId: string
  readonly summary: string
  readonly description?: string
  readonly tag: string
  /** Whether the bearer token is required (default true). */
  readonly auth?: boolean
  /** What a system's token must be allowed (see scopeOf); the administrator's token may do anything. */
  readonly scope?: TokenScope
  /** Path parameters: an object schema with a property per parameter. */
  readonly params?: P
  /** Query parameters: an object schema; its required properties are the required parameters. */
  readonly query?: Q
  readonly body?: B
  readonly headers?: Readonly<Record<string, { description: string, schema: JsonSchema }>>
  /** The successful answers. */
  readonly responses: Readonly<Record<number, ResponseSpec>>
  /**
   * The problems the handler and the services it calls can return. Those of
   * the declaration itself (token, parameters, body, Accept) are added by the
   * table.
   */
  readonly problems?: ProblemsSpec
  readonly handler: (c: Context, input: RouteInput<P, Q, B>) => Promise<Response> | Response
}

type AnyRouteSpec = RouteSpec<any, any, any>

declare module 'hono' {
  interface ContextVariableMap {
    /** The validated input of a declared route, set by its validation middleware. */
    routeInput: RouteInput<unknown, unknown, unknown>
    /** The media type negotiated for the answer. */
    accept: string
  }
}

interface PathMethods {
  readonly pattern: RegExp
  readonly methods: Set<string>
}

/**
 * The scope a route needs unless it says: the accounts, tokens and audit log,
 * and changes to the trust list and the grants, are the administrator's;
 * an agency's steps on an application and changes to its decisions need
 * `decide`; other changes `write`;
 * reading `read`.
 */
export function scopeOf (method: string, path: string): TokenScope {
  if (/^\/v1\/(users|tokens|audit)(\/|$)/.test(path)) return 'admin'
  if (method !== 'GET' && /^\/v1\/(trust|policies)(\/|$)/.test(path)) return 'admin'
  if (method !== 'GET' && /^\/v1\/applications\/\{id\}\/(status|decision|missing-data)$/.test(path)) return 'decide'
  if (method !== 'GET' && /^\/v1\/decisions\/\{id\}\/(amend|suspend|reinstate|withdraw)$/.test(path)) return 'decide'
  return method === 'GET' ? 'read' : 'write'
}

export class RouteTable {
  readonly routes: AnyRouteSpec[] = []
  private readonly paths = new Map<string, PathMethods>()

  /** `auth`: the middleware that lets a request with a token of the scope it needs through. */
  constructor (private readonly app: Hono, private readonly auth: (scope: TokenScope) => MiddlewareHandler) {}

  add<P extends TObject | undefined = undefined, Q extends TObject | undefined = undefined, B extends BodySpec | undefined = undefined> (spec: RouteSpec<P, Q, B>): void {
    this.routes.push(spec as AnyRouteSpec)
    const method = spec.method.toUpperCase()
    const known = this.paths.get(spec.path) ?? { pattern: pathPattern(spec.path), methods: new Set() }
    known.methods.add(method)
    this.paths.set(spec.path, known)
    const honoPath = spec.path.replace(/\{([^}]+)\}/g, ':$1')
    const offered = offeredTypes(spec as AnyRouteSpec)
    const handlers: MiddlewareHandler[] = [
      ...(spec.auth !== false ? [this.auth(spec.scope ?? scopeOf(method, spec.path))] : []),
      ...(offered.length > 0 ? [negotiation(offered)] : []),
      validation(spec as AnyRouteSpec),
      async (c) => await spec.handler(c, c.get('routeInput') as RouteInput<P, Q, B>)
    ]
    this.app.on([method], [honoPath], ...handlers)
  }

  /**
   * The methods some route answers at a path, HEAD with GET (Hono answers HEAD
   * with the GET route); empty if no route has the path.
   */
  allowedMethods (path: string): string[] {
    const methods = new Set<string>()
    for (const { pattern, methods: declared } of this.paths.values()) {
      if (!pattern.test(path)) continue
      for (const m of declared) methods.add(m)
    }
    if (methods.has('GET')) methods.add('HEAD')
    return ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'].filter(m => methods.has(m))
  }

  /** Every problem a route can return: its own and those its declaration implies. */
  problemsOf (route: AnyRouteSpec): Map<ProblemSlug, string[]> {
    const found = new Map<ProblemSlug, string[]>()
    const add = (slug: ProblemSlug, when: string): void => { found.set(slug, [...(found.get(slug) ?? []), when]) }
    if (route.auth !== false) {
      add('unauthorized', 'missing or wrong token')
      add('insufficient-scope', `a system's token without the ${route.scope ?? scopeOf(route.method.toUpperCase(), route.path)} scope`)
    }
    if (route.params !== undefined) add('invalid-request', 'a path parameter is not valid')
    if (route.query !== undefined) add('invalid-request', 'a query parameter is not valid')
    if (route.headers !== undefined) add('invalid-request', 'a header is not valid')
    if (offeredTypes(route).length > 0) add('not-acceptable', `the Accept header accepts none of ${offeredTypes(route).join(', ')}`)
    if (route.body !== undefined) {
      if (route.body[JSON_TYPE] !== undefined) {
        add('malformed-json', 'the body is not JSON')
        add('invalid-request', 'the body does not match the request schema')
      }
      add('payload-too-large', 'the body is over the size limit')
      add('unsupported-media-type', `the body is not ${Object.keys(route.body).join(' or ')}`)
    }
    for (const [slug, when] of Object.entries(route.problems ?? {}) as Array<[ProblemSlug, string]>) add(slug, when)
    return found
  }

  /** The OpenAPI 3.1 document of every route added so far. */
  openapi (info: { title: string, version: string, description: string, license?: { name: string, identifier: string } }, components: Record<string, JsonSchema>): JsonSchema {
    const paths: Record<string, Record<string, unknown>> = {}
    for (const r of this.routes) {
      const parameters = [
        ...Object.entries(propertiesOf(r.params)).map(([name, schema]) => ({ name, in: 'path', required: true, schema })),
        ...Object.entries(propertiesOf(r.query)).map(([name, schema]) => ({ name, in: 'query', required: requiredOf(r.query).includes(name), schema })),
        ...Object.entries(r.headers ?? {}).map(([name, h]) => ({ name, in: 'header', required: false, description: h.description, schema: h.schema }))
      ]
      const responses: Record<string, unknown> = Object.fromEntries(Object.entries(r.responses).map(([status, resp]) => [status, {
        description: resp.description,
        ...(resp.headers !== undefined && { headers: Object.fromEntries(Object.entries(resp.headers).map(([n, h]) => [n, { description: h.description, schema: { type: 'string' } }])) }),
        ...(resp.content !== undefined && { content: Object.fromEntries(Object.entries(resp.content).map(([type, schema]) => [type, { schema }])) })
      }]))
      const byStatus = new Map<number, Array<[ProblemSlug, string[]]>>()
      for (const [slug, whens] of this.problemsOf(r)) {
        const status = problemStatus(slug)
        byStatus.set(status, [...(byStatus.get(status) ?? []), [slug, whens]])
      }
      for (const [status, problems] of [...byStatus].sort(([a], [b]) => a - b)) {
        responses[String(status)] = {
          description: problems.map(([slug, whens]) => `\`${slug}\`: ${whens.join('; ')}`).join('. '),
          content: {
            'application/problem+json': {
              schema: {
                allOf: [
                  { $ref: '#/components/schemas/Problem' },
                  { type: 'object', properties: { type: { enum: problems.map(([slug]) => `${PROBLEM_TYPE_PREFIX}${slug}`) } } }
                ]
              }
            }
          }
        }
      }
      paths[r.path] ??= {}
      ;(paths[r.path] as Record<string, unknown>)[r.method] = {
        operationId: r.operationId,
        summary: r.summary,
        ...(r.description !== undefined && { description: r.description }),
        tags: [r.tag],
        ...(r.auth === false ? { security: [] } : {}),
        ...(parameters.length > 0 && { parameters }),
        ...(r.body !== undefined && {
          requestBody: { required: true, content: Object.fromEntries(Object.entries(r.body as BodySpec).map(([type, schema]) => [type, { schema }])) }
        }),
        responses
      }
    }
    return {
      openapi: '3.1.0',
      info,
      servers: [{ url: '/' }],
      security: [{ bearer: [] }],
      paths,
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The token in the data folder\'s api-token file' } },
        schemas: components
      }
    }
  }
}

/** The media types a route's successful answers come in, its default first. */
function offeredTypes (spec: AnyRouteSpec): string[] {
  const types = Object.entries(spec.responses).filter(([status]) => Number(status) < 300).flatMap(([, r]) => Object.keys(r.content ?? {}))
  return [...new Set(types)]
}

/** Picks the media type of the answer from the Accept header; 406 if it accepts none the route offers. */
function negotiation (offered: readonly string[]): MiddlewareHandler {
  return async (c, next) => {
    const chosen = negotiate(c.req.header('accept'), offered)
    if (chosen === undefined) {
      return problem(c, 'not-acceptable', `the Accept header accepts none of the media types this route answers with: ${offered.join(', ')}`)
    }
    c.set('accept', chosen)
    await next()
  }
}

/** Validates the path parameters, query and body, and hands them on as the route's input. */
function validation (spec: AnyRouteSpec): MiddlewareHandler {
  // A parameter the route does not declare is a mistake worth reporting, not ignoring.
  const params = spec.params !== undefined ? compileQuerySchema({ ...spec.params, additionalProperties: false }) : undefined
  const query = spec.query !== undefined ? compileQuerySchema({ ...spec.query, additionalProperties: false }) : undefined
  const body = spec.body as BodySpec | undefined
  const jsonBody = body?.[JSON_TYPE] !== undefined ? compileSchema(body[JSON_TYPE]) : undefined
  return async (c, next) => {
    // Undeclared parameters are not read: most requests carry none, and no handler sees them.
    const input = {
      params: params !== undefined ? { ...c.req.param() } : {},
      query: query !== undefined ? { ...c.req.query() } : {},
      body: undefined as unknown,
      accept: c.get('accept') ?? JSON_TYPE
    }
    if (params !== undefined && !params(input.params)) {
      return problem(c, 'invalid-request', 'the path parameters are not valid', violationsOf(params.errors, '/params'))
    }
    if (query !== undefined && !query(input.query)) {
      return problem(c, 'invalid-request', 'the query parameters are not valid', violationsOf(query.errors, '/query'))
    }
    if (body !== undefined) {
      const read = await readBody(c, body, jsonBody)
      if (read instanceof Response) return read
      input.body = read
    }
    c.set('routeInput', input as RouteInput<unknown, unknown, unknown>)
    await next()
  }
}

async function readBody (c: Context, accepted: BodySpec, validate: ValidateFunction | undefined): Promise<unknown> {
  const declared = c.req.header('content-type')
  const mediaType = (declared ?? JSON_TYPE).split(';')[0]?.trim().toLowerCase() ?? ''
  if (!(mediaType in accepted)) {
    return problem(c, 'unsupported-media-type', `content type ${JSON.stringify(mediaType)} is not accepted here; send ${Object.keys(accepted).join(' or ')}`)
  }
  // The size limit is enforced while the body streams in (see app.ts).
  const bytes = new Uint8Array(await c.req.arrayBuffer())
  if (mediaType !== JSON_TYPE) return bytes
  let body: unknown
  try {
    body = JSON.parse(strictUtf8.decode(bytes))
  } catch (err) {
    return problem(c, 'malformed-json', `the body is not valid JSON: ${(err as Error).message}`)
  }
  if (validate !== undefined && !validate(body)) {
    return problem(c, 'invalid-request', 'the body does not match the request schema', violationsOf(validate.errors))
  }
  return body
}

function propertiesOf (schema: TObject | undefined): Record<string, TSchema> {
  return schema?.properties ?? {}
}

function requiredOf (schema: TObject | undefined): readonly string[] {
  return schema?.required ?? []
}

/** A path template as a regular expression: each `{name}` is one segment, as Hono matches `:name`. */
function pathPattern (template: string): RegExp {
  const source = template.split(/\{[^}]+\}/).map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+')
  return new RegExp(`^${source}$`)
}
