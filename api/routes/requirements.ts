/** Submit once, reuse many: requirement profiles, their resolution, applications, missing-data requests, the reuse ledger. */
import { ServiceError } from '../../node/errors.js'
import type { NodeApi } from '../../node/node-api.js'
import type { ProfileElement } from '../../node/workflow/requirement-service.js'
import { parseRecord } from '../../record/index.js'
import { requirementProfile } from '../../record/types/requirements.js'
import { Type } from '@sinclair/typebox'
import type { RouteTable } from '../routes.js'
import { consignmentSchema, idParams, objectResponse, participantIdSchema, procedureSchema } from '../schemas.js'

const refParams = Type.Object({ ref: consignmentSchema })

export function requirementRoutes (table: RouteTable, node: NodeApi): void {
  table.add({
    method: 'post',
    path: '/v1/profiles',
    operationId: 'publishProfile',
    tag: 'requirements',
    summary: 'Publish a requirement profile of this agency',
    description: 'Signs a requirement.profile (superseding this node\'s earlier one for the same procedure) and sends it to every certified participant.',
    body: {
      // The record type's own schema, typed as what the requirement service takes.
      'application/json': Type.Unsafe<{ procedure: string, title?: string, elements: ProfileElement[] }>({ ...requirementProfile.schema, $schema: undefined, title: undefined })
    },
    responses: {
      201: { ...objectResponse('The profile record'), headers: { Location: { description: 'URL of the record' } } }
    },
    problems: {
      'invalid-request': 'an element id appears twice, or an element names an unregistered type',
      'not-owner': 'this node is not an agency'
    },
    handler: async (c, { body }) => {
      if (node.profile.role !== 'agency') throw new ServiceError('not-owner', `only agencies publish requirement profiles; this node is a ${node.profile.role}`)
      const record = await node.requirements.publish(body)
      c.header('location', `/v1/records/${record.id}`)
      return c.json(await node.records.get(record.id), 201)
    }
  })

  table.add({
    method: 'get',
    path: '/v1/profiles/{procedure}',
    operationId: 'getProfile',
    tag: 'requirements',
    summary: 'The current requirement profile for a procedure, from a certified agency',
    params: Type.Object({ procedure: procedureSchema }),
    query: Type.Object({ agency: Type.Optional(participantIdSchema) }),
    responses: { 200: objectResponse('The profile') },
    problems: { 'not-found': 'no profile for that procedure is known here' },
    handler: async (c, { params, query }) => {
      return c.json(await node.requirements.profile(params.procedure, query.agency))
    }
  })

  table.add({
    method: 'get',
    path: '/v1/consignments/{ref}/requirements/{procedure}',
    operationId: 'resolveRequirements',
    tag: 'requirements',
    summary: 'What a procedure needs of a consignment: each element present (and where), missing, or only in expired documents',
    params: Type.Object({ ref: consignmentSchema, procedure: procedureSchema }),
    query: Type.Object({ agency: Type.Optional({ ...participantIdSchema, description: 'the agency whose profile to use; also checks what this node\'s grants let go to it' }) }),
    responses: { 200: objectResponse('The resolution, element by element, with a summary') },
    problems: { 'not-found': 'no profile for that procedure' },
    handler: async (c, { params, query }) => {
      const agency = query.agency
      const profile = await node.requirements.profile(params.procedure, agency)
      return c.json(await node.requirements.resolve(params.ref, profile, agency))
    }
  })

  table.add({
    method: 'post',
    path: '/v1/consignments/{ref}/applications',
    operationId: 'fileApplication',
    tag: 'requirements',
    summary: 'Apply to an agency: share exactly the elements its profile needs and the grants allow',
    description: 'Nothing is entered again: the elements come from the records already submitted. The answer names what is missing or expired. ' +
      'Applying again for the same procedure and agency supersedes the earlier application and shares what has been added since.',
    params: refParams,
    body: {
      'application/json': Type.Union([
        Type.Object({ procedure: procedureSchema, agency: participantIdSchema }, { additionalProperties: false }),
        Type.Object({ all: Type.Literal(true, { description: 'apply to every procedure the consignment\'s goods need (GET …/procedures) that has a profile and no application yet' }) }, { additionalProperties: false })
      ])
    },
    responses: {
      201: { ...objectResponse('The application, the resolution, what was shared and what needs renewal; with `all`, { applied: [...], skipped: [{ procedure, agency, reason }] }'), headers: { Location: { description: 'URL of the application record' } } }
    },
    problems: {
      prohibited: 'with `all`: a measure in force prohibits the goods',
      'not-found': 'no profile for that procedure from that agency, or nothing of the consignment',
      'unknown-participant': 'the agency holds no valid certificate here',
      'invalid-request': 'the participant is certified, but not as an agency'
    },
    handler: async (c, { params, body }) => {
      if ('all' in body) return c.json(await node.procedures.applyAll(params.ref), 201)
      const { procedure, agency } = body
      const result = await node.requirements.apply(params.ref, procedure, agency)
      c.header('location', `/v1/records/${result.application.id}`)
      return c.json(result, 201)
    }
  })

  table.add({
    method: 'get',
    path: '/v1/consignments/{ref}/applications',
    operationId: 'listConsignmentApplications',
    tag: 'requirements',
    summary: 'The current applications of a consignment held here',
    params: refParams,
    responses: { 200: objectResponse('The applications') },
    handler: async (c, { params }) => c.json({ applications: await node.requirements.applications(params.ref) })
  })

  table.add({
    method: 'post',
    path: '/v1/applications/{id}/missing-data',
    operationId: 'requestMissingData',
    tag: 'requirements',
    summary: 'On the agency\'s node: ask the applicant for the elements still missing, and only those',
    params: idParams,
    body: {
      'application/json': Type.Object({
        elements: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 1000, description: 'element ids; default: every one missing or expired here' })),
        message: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 }))
      }, { additionalProperties: false })
    },
    responses: {
      201: objectResponse('The signed request, sent to the applicant')
    },
    problems: {
      'invalid-request': 'nothing is missing, or an element is not in the profile',
      'not-owner': 'the application was made to another agency',
      'not-found': 'no such application, or its profile is not held here'
    },
    handler: async (c, { params, body }) => {
      const { elements, message } = body
      return c.json(await node.requirements.requestMissing(params.id, elements, message), 201)
    }
  })

  table.add({
    method: 'get',
    path: '/v1/records/{id}/reuse',
    operationId: 'getRecordReuse',
    tag: 'requirements',
    summary: 'The reuse ledger of a record: every receipted use, with fields and purpose',
    params: idParams,
    responses: { 200: objectResponse('The uses') },
    problems: { 'not-found': 'no such record' },
    handler: async (c, { params }) => {
      const bytes = await node.records.getBytes(params.id)
      if (bytes === undefined) throw new ServiceError('not-found', `no record ${params.id}`)
      const entries = await node.reuse.ofRecord(parseRecord(bytes))
      return c.json({ record: params.id, uses: entries.length, entries })
    }
  })

  table.add({
    method: 'get',
    path: '/v1/consignments/{ref}/reuse',
    operationId: 'getConsignmentReuse',
    tag: 'requirements',
    summary: 'The reuse ledger of a consignment: elements entered once, times used by state bodies, the reuse ratio',
    params: refParams,
    responses: { 200: objectResponse('The ledger') },
    handler: async (c, { params }) => c.json(await node.reuse.ofConsignment(params.ref))
  })
}
