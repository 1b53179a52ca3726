/** Submit once, reuse many: requirement profiles, their resolution, applications, missing-data requests, the reuse ledger. */
import { ServiceError } from '../../node/errors.js'
import type { KeruenNode } from '../../node/node.js'
import type { ProfileElement } from '../../node/workflow/requirement-service.js'
import { parseRecord } from '../../record/index.js'
import { procedureId } from '../../record/types/policy.js'
import { requirementProfile } from '../../record/types/requirements.js'
import type { RouteTable } from '../routes.js'
import { consignmentSchema, objectResponse, participantIdSchema, problemResponse } from '../schemas.js'

export function requirementRoutes (table: RouteTable, node: KeruenNode): void {
  table.add({
    method: 'post',
    path: '/v1/profiles',
    operationId: 'publishProfile',
    tag: 'requirements',
    summary: 'Publish a requirement profile of this agency',
    description: 'Signs a requirement.profile (superseding this node\'s earlier one for the same procedure) and sends it to every certified participant.',
    body: { 'application/json': { ...requirementProfile.schema, $schema: undefined, title: undefined } },
    responses: {
      201: { ...objectResponse('The profile record'), headers: { Location: { description: 'URL of the record' } } },
      400: problemResponse('Malformed request or duplicate element ids'),
      403: problemResponse('This node is not an agency')
    },
    handler: async (c, { body }) => {
      if (node.identity.profile.role !== 'agency') throw new ServiceError('not-owner', `only agencies publish requirement profiles; this node is a ${node.identity.profile.role}`)
      const record = await node.requirements.publish(body as { procedure: string, title?: string, elements: ProfileElement[] })
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
    params: { procedure: procedureId },
    query: { agency: participantIdSchema },
    responses: { 200: objectResponse('The profile'), 404: problemResponse('No profile for that procedure is known here') },
    handler: async (c, { params, query }) => {
      return c.json(await node.requirements.profile(params.procedure as string, query.agency as string | undefined))
    }
  })

  table.add({
    method: 'get',
    path: '/v1/consignments/{ref}/requirements/{procedure}',
    operationId: 'resolveRequirements',
    tag: 'requirements',
    summary: 'What a procedure needs of a consignment: each element present (and where), missing, or only in expired documents',
    params: { ref: consignmentSchema, procedure: procedureId },
    query: { agency: { ...participantIdSchema, description: 'the agency whose profile to use; also checks what this node\'s grants let go to it' } },
    responses: { 200: objectResponse('The resolution, element by element, with a summary'), 404: problemResponse('No profile for that procedure') },
    handler: async (c, { params, query }) => {
      const agency = query.agency as string | undefined
      const profile = await node.requirements.profile(params.procedure as string, agency)
      return c.json(await node.requirements.resolve(params.ref as string, profile, agency))
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
    params: { ref: consignmentSchema },
    body: {
      'application/json': {
        type: 'object',
        properties: { procedure: procedureId, agency: participantIdSchema },
        required: ['procedure', 'agency'],
        additionalProperties: false
      }
    },
    responses: {
      201: { ...objectResponse('The application, the resolution, what was shared and what needs renewal'), headers: { Location: { description: 'URL of the application record' } } },
      404: problemResponse('No profile for that procedure from that agency, or nothing of the consignment'),
      422: problemResponse('The agency holds no valid certificate here')
    },
    handler: async (c, { params, body }) => {
      const { procedure, agency } = body as { procedure: string, agency: string }
      const result = await node.requirements.apply(params.ref as string, procedure, agency)
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
    params: { ref: consignmentSchema },
    responses: { 200: objectResponse('The applications') },
    handler: async (c, { params }) => c.json({ applications: await node.requirements.applications(params.ref as string) })
  })

  table.add({
    method: 'post',
    path: '/v1/applications/{id}/missing-data',
    operationId: 'requestMissingData',
    tag: 'requirements',
    summary: 'On the agency\'s node: ask the applicant for the elements still missing, and only those',
    params: { id: { type: 'string', maxLength: 64 } },
    body: {
      'application/json': {
        type: 'object',
        properties: {
          elements: { type: 'array', items: { type: 'string', maxLength: 64 }, minItems: 1, maxItems: 1000, description: 'element ids; default: every one missing or expired here' },
          message: { type: 'string', minLength: 1, maxLength: 4000 }
        },
        additionalProperties: false
      }
    },
    responses: {
      201: objectResponse('The signed request, sent to the applicant'),
      400: problemResponse('Nothing is missing, or an element not in the profile'),
      403: problemResponse('The application was made to another agency'),
      404: problemResponse('No such application, or its profile is not held here')
    },
    handler: async (c, { params, body }) => {
      const { elements, message } = body as { elements?: string[], message?: string }
      return c.json(await node.requirements.requestMissing(params.id as string, elements, message), 201)
    }
  })

  table.add({
    method: 'get',
    path: '/v1/records/{id}/reuse',
    operationId: 'getRecordReuse',
    tag: 'requirements',
    summary: 'The reuse ledger of a record: every receipted use, with fields and purpose',
    params: { id: { type: 'string', maxLength: 64 } },
    responses: { 200: objectResponse('The uses'), 404: problemResponse('No such record') },
    handler: async (c, { params }) => {
      const bytes = await node.records.getBytes(params.id as string)
      if (bytes === undefined) throw new ServiceError('not-found', `no record ${params.id as string}`)
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
    params: { ref: consignmentSchema },
    responses: { 200: objectResponse('The ledger') },
    handler: async (c, { params }) => c.json(await node.reuse.ofConsignment(params.ref as string))
  })
}
