/** An agency's risk management: its rules (kept on its node), their evaluations of each application, a re-evaluation on request. */
import { ServiceError } from '../../node/errors.js'
import type { NodeApi } from '../../node/node-api.js'
import { riskRule } from '../../record/types/risk.js'
import type { RiskRuleData } from '../../record/types/index.js'
import { Type } from '@sinclair/typebox'
import type { RouteTable } from '../routes.js'
import { idParams, objectResponse, recordIdSchema } from '../schemas.js'

export function riskRoutes (table: RouteTable, node: NodeApi): void {
  const agencyOnly = (): void => {
    if (node.profile.role !== 'agency') throw new ServiceError('not-owner', `only an agency keeps risk rules; this node is a ${node.profile.role}`)
  }

  table.add({
    method: 'post',
    path: '/v1/risk-rules',
    operationId: 'publishRiskRule',
    tag: 'risk',
    summary: 'Add a risk rule of this agency (or a new version of one: `supersedes`); it stays on this node',
    body: {
      'application/json': Type.Unsafe<RiskRuleData & { supersedes?: string }>({
        ...riskRule.schema,
        $schema: undefined,
        title: undefined,
        properties: { ...riskRule.schema.properties, supersedes: recordIdSchema }
      })
    },
    responses: { 201: objectResponse('The rule record') },
    problems: { 'not-owner': 'this node is not an agency' },
    handler: async (c, { body }) => {
      agencyOnly()
      const { supersedes, ...data } = body
      const record = await node.risk.publish(data, supersedes)
      return c.json(await node.records.get(record.id), 201)
    }
  })

  table.add({
    method: 'get',
    path: '/v1/risk-rules',
    operationId: 'listRiskRules',
    tag: 'risk',
    summary: 'The risk rules in force here, lowest priority first',
    responses: { 200: objectResponse('{ rules: [...] }') },
    handler: async (c) => c.json({ rules: await node.risk.rules() })
  })

  table.add({
    method: 'get',
    path: '/v1/applications/{id}/evaluations',
    operationId: 'listEvaluations',
    tag: 'risk',
    summary: 'Every evaluation of an application by this agency\'s rules: outcome, the rules that matched, the facts, the release it issued',
    params: idParams,
    responses: { 200: objectResponse('{ evaluations: [...] }') },
    problems: { 'not-found': 'no such application here' },
    handler: async (c, { params }) => c.json({ evaluations: await node.risk.evaluations(params.id) })
  })

  table.add({
    method: 'post',
    path: '/v1/applications/{id}/evaluate',
    operationId: 'evaluateApplication',
    tag: 'risk',
    summary: 'Evaluate an application by the rules now; green releases it when its payments are confirmed',
    params: idParams,
    responses: { 200: objectResponse('The evaluation (null when the application is decided already)') },
    problems: { 'not-found': 'no such application here', 'not-owner': 'the application was made to another agency' },
    handler: async (c, { params }) => {
      agencyOnly()
      return c.json(await node.risk.evaluate(params.id) ?? null)
    }
  })
}
