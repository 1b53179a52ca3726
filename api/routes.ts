/**
 * Declarative routes: each route states its parameters, query, body and
 * responses as JSON Schema once. The same declaration validates requests and
 * generates the OpenAPI document, so the two cannot drift apart.
 */
import type { ValidateFunction } from 'ajv/dist/2020.js'
import type { Context, Hono } from 'hono'
import type { JsonSchema } from '../record/types/definition.js'
import { compileQuerySchema, compileSchema, violationsOf } from '../record/types/validator.js'
import { problem } from './problem.js'

export interface ResponseSpec {
  readonly description: string
  /** Media type → schema (omit for an empty body). */
  readonly content?: Readonly<Record<string, JsonSchema>>
  readonly headers?: Readonly<Record<string, { description: string }>>
}

export interface RouteInput {
  readonly params: Record<string, string>
  readonly query: Record<string, unknown>
  readonly body: unknown
}

export interface RouteSpec {
  readonly method: 'get' | 'post' | 'delete'
  /** OpenAPI path template, e.g. `/v1/records/{id}`. */
  readonly path: string
  readonly operationId: string
  readonly summary: string
  readonly description?: string
  readonly tag: string
  /** Whether the bearer token is required (default true). */
  readonly auth?: boolean
  readonly params?: Readonly<Record<string, JsonSchema>>
  readonly query?: Readonly<Record<string, JsonSchema>>
  readonly requiredQuery?: readonly string[]
  /** Request body: media type → schema. JSON bodies are parsed and validated; others arrive as bytes. */
  readonly body?: Readonly<Record<string, JsonSchema>>
  readonly headers?: Readonly<Record<string, { description: string, schema: JsonSchema }>>
  readonly responses: Readonly<Record<number, ResponseSpec>>
  readonly handler: (c: Context, input: RouteInput) => Promise<Response> | Response
}

const JSON_TYPE = 'application/json'

export class RouteTable {
  readonly routes: RouteSpec[] = []

  constructor (private readonly app: Hono, private readonly authorized: (c: Context) => boolean) {}

  add (spec: RouteSpec): void {
    this.routes.push(spec)
    const honoPath = spec.path.replace(/\{([^}]+)\}/g, ':$1')
    const query = spec.query !== undefined ? compileQuerySchema(objectSchema(spec.query, spec.requiredQuery ?? [])) : undefined
    const params = spec.params !== undefined ? compileQuerySchema(objectSchema(spec.params, Object.keys(spec.params))) : undefined
    const jsonBody = spec.body?.[JSON_TYPE] !== undefined ? compileSchema(spec.body[JSON_TYPE]) : undefined
    this.app.on(spec.method.toUpperCase(), honoPath, async (c) => {
      if (spec.auth !== false && !this.authorized(c)) {
        c.header('www-authenticate', 'Bearer realm="keruen"')
        return problem(c, 'unauthorized', 'send the token from the data folder\'s api-token file as "Authorization: Bearer <token>"')
      }
      const input: RouteInput = { params: { ...c.req.param() }, query: { ...c.req.query() }, body: undefined }
      if (params !== undefined && !params(input.params)) {
        return problem(c, 'invalid-request', 'the path parameters are not valid', violationsOf(params.errors, '/params'))
      }
      if (query !== undefined && !query(input.query)) {
        return problem(c, 'invalid-request', 'the query parameters are not valid', violationsOf(query.errors, '/query'))
      }
      if (spec.body !== undefined) {
        const read = await this.readBody(c, spec.body, jsonBody)
        if (read instanceof Response) return read
        ;(input as { body: unknown }).body = read
      }
      return await spec.handler(c, input)
    })
  }

  private async readBody (c: Context, accepted: Readonly<Record<string, JsonSchema>>, validate: ValidateFunction | undefined): Promise<unknown> {
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
      body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
    } catch (err) {
      return problem(c, 'malformed-json', `the body is not valid JSON: ${(err as Error).message}`)
    }
    if (validate !== undefined && !validate(body)) {
      return problem(c, 'invalid-request', 'the body does not match the request schema', violationsOf(validate.errors, ''))
    }
    return body
  }

  /** The OpenAPI 3.1 document of every route added so far. */
  openapi (info: { title: string, version: string, description: string }, components: Record<string, JsonSchema>): JsonSchema {
    const paths: Record<string, Record<string, unknown>> = {}
    for (const r of this.routes) {
      const parameters = [
        ...Object.entries(r.params ?? {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema })),
        ...Object.entries(r.query ?? {}).map(([name, schema]) => ({ name, in: 'query', required: r.requiredQuery?.includes(name) ?? false, schema })),
        ...Object.entries(r.headers ?? {}).map(([name, h]) => ({ name, in: 'header', required: false, description: h.description, schema: h.schema }))
      ]
      paths[r.path] ??= {}
      ;(paths[r.path] as Record<string, unknown>)[r.method] = {
        operationId: r.operationId,
        summary: r.summary,
        ...(r.description !== undefined && { description: r.description }),
        tags: [r.tag],
        ...(r.auth === false ? { security: [] } : {}),
        ...(parameters.length > 0 && { parameters }),
        ...(r.body !== undefined && {
          requestBody: { required: true, content: Object.fromEntries(Object.entries(r.body).map(([type, schema]) => [type, { schema }])) }
        }),
        responses: Object.fromEntries(Object.entries(r.responses).map(([status, resp]) => [status, {
          description: resp.description,
          ...(resp.headers !== undefined && { headers: Object.fromEntries(Object.entries(resp.headers).map(([n, h]) => [n, { description: h.description, schema: { type: 'string' } }])) }),
          ...(resp.content !== undefined && { content: Object.fromEntries(Object.entries(resp.content).map(([type, schema]) => [type, { schema }])) })
        }]))
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

function objectSchema (properties: Readonly<Record<string, JsonSchema>>, required: readonly string[]): JsonSchema {
  return { type: 'object', properties, required, additionalProperties: false }
}
