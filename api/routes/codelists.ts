/** Reference data: the code lists this node holds, their versions and entries, and publishing a version. */
import { Type } from '@sinclair/typebox'
import { ServiceError } from '../../node/errors.js'
import type { NodeApi } from '../../node/node-api.js'
import { LIST_ID_PATTERN, MAX_ENTRIES } from '../../record/reference/codelist.js'
import { issuingRefusal } from '../../node/trust/issuers.js'
import { RecordTypes } from '../../record/types/names.js'
import type { RouteTable } from '../routes.js'
import { objectResponse } from '../schemas.js'

const names = Type.Object({ ru: Type.String({ minLength: 1, maxLength: 256 }), kk: Type.String({ minLength: 1, maxLength: 256 }), en: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false })
const day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a date, YYYY-MM-DD' })
const listId = Type.String({ pattern: LIST_ID_PATTERN, description: 'the list\'s id, e.g. unece-rec20' })

export function codeListRoutes (table: RouteTable, node: NodeApi): void {
  table.add({
    method: 'get',
    path: '/v1/codelists',
    operationId: 'listCodeLists',
    tag: 'reference',
    summary: 'The code lists this node holds, each with its versions and the one in force today',
    responses: { 200: objectResponse('{ codelists: [{ list, title, inForce, versions: [{ version, validFrom, validUntil, issuer, record, entryCount }] }] }') },
    handler: async (c) => c.json({ codelists: node.codelists.catalogue() })
  })

  table.add({
    method: 'get',
    path: '/v1/codelists/{id}',
    operationId: 'getCodeList',
    tag: 'reference',
    summary: 'A version of a code list — by name, or the one in force on a day (today) — with its entries, or those matching a search',
    description: '`q` matches the start of a code (spaces and dots ignored: "0813 10") or any part of a name in Russian, Kazakh or English.',
    params: Type.Object({ id: listId }),
    query: Type.Object({
      version: Type.Optional(Type.String({ maxLength: 32 })),
      date: Type.Optional({ ...day, description: 'the version in force on this day' }),
      q: Type.Optional(Type.String({ maxLength: 128 })),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ENTRIES }))
    }),
    responses: { 200: objectResponse('The version (list, version, validFrom, validUntil, title, issuer, record, entryCount) and its entries') },
    problems: { 'not-found': 'no such list, version, or none in force on that day' },
    handler: async (c, { params, query }) => {
      const found = node.codelists.find(params.id, { ...(query.version !== undefined && { version: query.version }), ...(query.date !== undefined && { day: query.date }) })
      if (found === undefined) {
        const what = query.version !== undefined ? `version ${query.version}` : `a version in force on ${query.date ?? 'this day'}`
        throw new ServiceError('not-found', `this node holds no code list ${params.id}, or not ${what}`)
      }
      const { entries, ...version } = found
      const limit = query.limit ?? (query.q === undefined ? MAX_ENTRIES : 50)
      const matching = node.codelists.search(entries, query.q ?? '', limit)
      return c.json({ ...version, ...(query.q !== undefined && { q: query.q, matches: matching.length }), entries: matching })
    }
  })

  table.add({
    method: 'post',
    path: '/v1/codelists',
    operationId: 'publishCodeList',
    tag: 'reference',
    summary: 'Publish a version of a code list (an authority, or an agency entitled to reference data)',
    description: 'Signs a reference.codelist record and sends it to every certified participant. The version is in force from `validFrom` until the next version of the list starts.',
    body: {
      'application/json': Type.Object({
        list: listId,
        version: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$' }),
        validFrom: day,
        validUntil: Type.Optional(day),
        title: names,
        source: Type.Optional(Type.String({ maxLength: 1024 })),
        entries: Type.Array(Type.Unknown(), { minItems: 1, maxItems: MAX_ENTRIES, description: '[{ code, names: { ru, kk, en }, parent?, attributes? }]' })
      }, { additionalProperties: false })
    },
    responses: { 201: { ...objectResponse('The version as held'), headers: { Location: { description: 'URL of the list\'s version' } } } },
    problems: {
      'schema-violation': 'an entry is malformed, a code appears twice, or a parent is not a code of the list',
      'not-owner': 'this node\'s role does not publish reference data'
    },
    handler: async (c, { body }) => {
      const refusal = issuingRefusal(RecordTypes.referenceCodelist, node.profile.role)
      if (refusal !== undefined) throw new ServiceError('not-owner', refusal)
      const record = await node.codelists.publish(body)
      const { entries: _entries, ...version } = node.codelists.find(body.list, { version: body.version }) ?? { entries: [], record: record.id }
      c.header('location', `/v1/codelists/${body.list}?version=${encodeURIComponent(body.version)}`)
      return c.json(version, 201)
    }
  })
}
