/**
 * The HTTP layer's middleware: the bearer token, content negotiation, 405 for
 * a wrong method, and the completeness of what the OpenAPI document and
 * docs/api.md say about errors.
 */
import { fileURLToPath } from 'node:url'
import { REPO_ROOT } from '../../support/repo.js'
import assert from 'node:assert/strict'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { bearerToken, sameSecret, secretCheck } from '../../../api/auth.js'
import { negotiate } from '../../../api/negotiate.js'
import { PROBLEM_SLUGS } from '../../../api/problem.js'
import { fixture, openTempNode, type TempNode } from '../../support/temp-node.js'

/** The checkout's root: the docs and the sources are read there, not in dist/. */
const ROOT = fileURLToPath(REPO_ROOT)

async function json (response: Response): Promise<any> {
  return await response.json()
}

async function expectProblem (response: Response, status: number, slug: string): Promise<any> {
  assert.equal(response.status, status, `status (body: ${await response.clone().text()})`)
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/)
  const body = await json(response)
  assert.equal(body.type, `urn:keruen:problem:${slug}`)
  return body
}

describe('content negotiation', () => {
  const offered = ['application/json', 'application/cbor']

  it('gives the default to a missing, empty, */* or unreadable Accept', () => {
    assert.equal(negotiate(undefined, offered), 'application/json')
    assert.equal(negotiate('', offered), 'application/json')
    assert.equal(negotiate('*/*', offered), 'application/json')
    assert.equal(negotiate('nonsense', offered), 'application/json')
  })

  it('weighs media ranges by their q-values', () => {
    assert.equal(negotiate('application/cbor;q=0.9, application/json', offered), 'application/json')
    assert.equal(negotiate('application/cbor, application/json;q=0.5', offered), 'application/cbor')
    assert.equal(negotiate('application/cbor', offered), 'application/cbor')
    assert.equal(negotiate('APPLICATION/CBOR ; Q=1', offered), 'application/cbor')
    assert.equal(negotiate('application/cbor;q=0.5, application/json;q=0.5', offered), 'application/json', 'a tie goes to the default')
  })

  it('matches type wildcards, the most specific range deciding', () => {
    assert.equal(negotiate('application/*', offered), 'application/json')
    assert.equal(negotiate('application/*;q=0.5, application/cbor', offered), 'application/cbor')
    assert.equal(negotiate('*/*;q=0.1, application/json;q=0', offered), 'application/cbor')
  })

  it('excludes a type with q=0 and accepts none when nothing matches', () => {
    assert.equal(negotiate('application/json;q=0', offered), undefined)
    assert.equal(negotiate('application/json;q=0, application/cbor;q=0', offered), undefined)
    assert.equal(negotiate('text/html', offered), undefined)
    assert.equal(negotiate('text/*, image/png', offered), undefined)
    assert.equal(negotiate('*/*;q=0', offered), undefined)
  })

  it('ignores ranges it cannot read, q-values out of range included', () => {
    assert.equal(negotiate('application/cbor;q=2, application/json;q=0.1', offered), 'application/json')
    assert.equal(negotiate('*/cbor, application/cbor;q=0.2', offered), 'application/cbor')
  })
})

describe('bearer credentials', () => {
  it('read the scheme name case-insensitively', () => {
    assert.equal(bearerToken('Bearer abc'), 'abc')
    assert.equal(bearerToken('bearer abc'), 'abc')
    assert.equal(bearerToken('BEARER abc'), 'abc')
    assert.equal(bearerToken('Bearer  abc'), 'abc')
  })

  it('are none for other schemes or malformed headers', () => {
    for (const header of [undefined, '', 'Bearer', 'Bearer ', 'Bearerabc', 'Basic abc', 'Bearer a b']) {
      assert.equal(bearerToken(header), undefined, String(header))
    }
  })
})

describe('secrets compared', () => {
  const token = 'q8Vb2h0X_secret-token-of-43-characters-abcde'

  it('take the secret itself and nothing else', () => {
    const isToken = secretCheck(token)
    assert.equal(isToken(token), true)
    assert.equal(isToken(token.slice()), true)
    const lastChanged = token.slice(0, -1) + (token.endsWith('e') ? 'f' : 'e')
    for (const other of ['', token.slice(0, -1), `${token}x`, `x${token}`, lastChanged, token.toUpperCase(), ' '.repeat(token.length)]) {
      assert.equal(isToken(other), false, JSON.stringify(other))
    }
  })

  it('compare bytes, so other characters of the same length in UTF-16 do not pass', () => {
    // 'é' is one UTF-16 unit but two bytes: the same .length, another secret.
    assert.equal(sameSecret('caf\u00e9', 'cafe\u0301'.normalize('NFC')), true)
    assert.equal(sameSecret('caf\u00e9', 'cafe'), false)
    assert.equal(sameSecret('ab', 'a\u00e9'.slice(0, 2)), false)
    assert.equal(sameSecret('', ''), true)
  })
})

describe('API middleware', function () {
  this.timeout(60_000)
  let t: TempNode
  let token: string

  before(async () => {
    t = await openTempNode()
    token = t.node.identity.apiToken
  })
  after(async () => { await t.close() })

  describe('authentication', () => {
    it('takes the token with the scheme name in any case', async () => {
      for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
        const response = await t.request('GET', '/v1/node', { headers: { authorization: `${scheme} ${token}` } })
        assert.equal(response.status, 200, scheme)
      }
    })

    it('answers a missing or wrong token with 401 and a challenge', async () => {
      for (const authorization of [undefined, `Bearer ${token}x`, `Bearer ${token.slice(1)}`, `Basic ${token}`, token]) {
        const response = await t.request('GET', '/v1/node', { auth: null, headers: authorization !== undefined ? { authorization } : {} })
        await expectProblem(response, 401, 'unauthorized')
        assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer /)
      }
    })

    it('checks the token before the request', async () => {
      await expectProblem(await t.request('POST', '/v1/records', { auth: null, body: '{' }), 401, 'unauthorized')
      await expectProblem(await t.request('GET', '/v1/records/x', { auth: null, headers: { accept: 'text/html' } }), 401, 'unauthorized')
    })
  })

  describe('negotiation', () => {
    let id: string

    before(async () => {
      const created = await t.request('POST', '/v1/records', { body: { type: 'trade.invoice', consignment: '6KZ123456789012-EXP0001', data: await fixture('trade.invoice') } })
      assert.equal(created.status, 201)
      id = (await json(created)).id
    })

    const get = async (accept?: string): Promise<Response> =>
      await t.request('GET', `/v1/records/${id}`, { headers: accept !== undefined ? { accept } : {} })

    it('answers JSON unless CBOR is preferred', async () => {
      for (const accept of [undefined, '*/*', 'application/*', 'application/json', 'application/cbor;q=0.9, application/json', 'application/cbor;q=0, */*']) {
        const response = await get(accept)
        assert.equal(response.status, 200, String(accept))
        assert.match(response.headers.get('content-type') ?? '', /^application\/json/, String(accept))
        assert.equal((await json(response)).id, id)
      }
      for (const accept of ['application/cbor', 'application/json;q=0.5, application/cbor', 'application/json;q=0, */*']) {
        const response = await get(accept)
        assert.equal(response.status, 200, accept)
        assert.equal(response.headers.get('content-type'), 'application/cbor', accept)
      }
    })

    it('answers 406 listing what is offered when the Accept header takes none of it', async () => {
      for (const accept of ['text/html', 'application/json;q=0, application/cbor;q=0', 'image/*']) {
        const body = await expectProblem(await get(accept), 406, 'not-acceptable')
        assert.match(body.detail, /application\/json, application\/cbor/)
      }
    })

    it('applies to every route that answers with a body', async () => {
      await expectProblem(await t.request('GET', '/v1/node', { headers: { accept: 'text/html' } }), 406, 'not-acceptable')
      assert.equal((await t.request('GET', '/v1/node', { headers: { accept: 'text/html, application/json;q=0.1' } })).status, 200)
    })

    it('gives EPCIS query documents as JSON-LD, or as JSON to a client that prefers it', async () => {
      const ld = await t.request('GET', '/v1/epcis/events')
      assert.equal(ld.headers.get('content-type'), 'application/ld+json')
      const plain = await t.request('GET', '/v1/epcis/events', { headers: { accept: 'application/json' } })
      assert.equal(plain.status, 200)
      assert.equal(plain.headers.get('content-type'), 'application/json')
      assert.deepEqual((await json(plain)).epcisBody, (await json(ld)).epcisBody)
    })

    it('offers a disclosure as JSON or an SD-JWT', async () => {
      const path = `/v1/records/${id}/disclosure?for=${t.node.participant}`
      const body = await expectProblem(await t.request('GET', path, { headers: { accept: 'text/html' } }), 406, 'not-acceptable')
      assert.match(body.detail, /application\/json, application\/sd-jwt/)
    })
  })

  describe('methods', () => {
    it('answers a wrong method on a known path with 405 and Allow', async () => {
      let response = await t.request('PUT', '/v1/node')
      await expectProblem(response, 405, 'method-not-allowed')
      assert.equal(response.headers.get('allow'), 'GET, HEAD')
      response = await t.request('DELETE', '/v1/records')
      await expectProblem(response, 405, 'method-not-allowed')
      assert.equal(response.headers.get('allow'), 'GET, HEAD, POST')
      response = await t.request('POST', '/v1/policies/abc')
      await expectProblem(response, 405, 'method-not-allowed')
      assert.equal(response.headers.get('allow'), 'GET, HEAD, DELETE')
      response = await t.request('PATCH', '/v1/subscriptions/abc/deliveries')
      assert.equal(response.headers.get('allow'), 'GET, HEAD')
    })

    it('answers HEAD where GET is served', async () => {
      const response = await t.request('HEAD', '/v1/node')
      assert.equal(response.status, 200)
    })

    it('keeps 404 for a path no route has', async () => {
      await expectProblem(await t.request('GET', '/v1/nothing'), 404, 'route-not-found')
      await expectProblem(await t.request('DELETE', '/v1/records/abc/nothing'), 404, 'route-not-found')
      await expectProblem(await t.request('GET', '/v1/node/'), 404, 'route-not-found')
    })
  })

  describe('the OpenAPI document', () => {
    let operations: Array<{ name: string, op: any }>

    before(async () => {
      const doc = await json(await t.request('GET', '/v1/openapi.json', { auth: null }))
      operations = Object.entries(doc.paths as Record<string, Record<string, any>>)
        .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })))
      assert.ok(operations.length > 40)
    })

    const problemTypes = (op: any, status: number): string[] =>
      op.responses[String(status)]?.content?.['application/problem+json']?.schema?.allOf?.[1]?.properties?.type?.enum ?? []

    it('gives every operation a 4xx answer', () => {
      const without = operations.filter(({ op }) => !Object.keys(op.responses).some(status => /^4\d\d$/.test(status))).map(o => o.name)
      assert.deepEqual(without, [])
    })

    it('gives every protected operation a 401, and the open ones none', () => {
      for (const { name, op } of operations) {
        const open = Array.isArray(op.security) && op.security.length === 0
        assert.equal(problemTypes(op, 401).includes('urn:keruen:problem:unauthorized'), !open, name)
      }
    })

    it('gives every operation with a body 400, 413 and 415', () => {
      for (const { name, op } of operations.filter(o => o.op.requestBody !== undefined)) {
        assert.ok(problemTypes(op, 400).includes('urn:keruen:problem:invalid-request'), `${name} 400`)
        assert.ok(problemTypes(op, 413).includes('urn:keruen:problem:payload-too-large'), `${name} 413`)
        assert.ok(problemTypes(op, 415).includes('urn:keruen:problem:unsupported-media-type'), `${name} 415`)
        if (op.requestBody.content['application/json'] !== undefined) assert.ok(problemTypes(op, 400).includes('urn:keruen:problem:malformed-json'), `${name} malformed-json`)
      }
    })

    it('gives every operation with parameters a 400, and 406 to those answering with a body', () => {
      for (const { name, op } of operations) {
        if ((op.parameters ?? []).length > 0) assert.ok(problemTypes(op, 400).includes('urn:keruen:problem:invalid-request'), name)
        const bodies = Object.entries(op.responses).some(([status, r]: [string, any]) => /^2/.test(status) && r.content !== undefined)
        assert.equal(problemTypes(op, 406).includes('urn:keruen:problem:not-acceptable'), bodies, `${name} 406`)
      }
    })

    it('describes each problem answer with the problem schema and its types', () => {
      for (const { name, op } of operations) {
        for (const [status, response] of Object.entries(op.responses) as Array<[string, any]>) {
          if (!/^[45]/.test(status)) continue
          assert.equal(response.content['application/problem+json'].schema.allOf[0].$ref, '#/components/schemas/Problem', `${name} ${status}`)
          assert.ok(problemTypes(op, Number(status)).length > 0, `${name} ${status}`)
          assert.ok(response.description.length > 0)
        }
      }
    })

    it('names the route-specific problems', () => {
      const find = (id: string): any => operations.find(o => o.op.operationId === id)?.op
      assert.deepEqual(problemTypes(find('getRecord'), 404), ['urn:keruen:problem:not-found'])
      assert.deepEqual(problemTypes(find('revokeGrant'), 409), ['urn:keruen:problem:already-revoked'])
      assert.deepEqual(problemTypes(find('getDisclosure'), 403).sort(), ['urn:keruen:problem:insufficient-scope', 'urn:keruen:problem:not-owner', 'urn:keruen:problem:not-permitted'])
      // Every route behind a token may meet a system's token without the scope it needs.
      for (const { name, op } of operations) {
        if (op.security?.length === 0) continue
        assert.ok(problemTypes(op, 403).includes('urn:keruen:problem:insufficient-scope'), name)
      }
      assert.ok(problemTypes(find('createRecord'), 422).includes('urn:keruen:problem:idempotency-conflict'))
      assert.ok(problemTypes(find('fileApplication'), 422).includes('urn:keruen:problem:unknown-participant'))
    })
  })
})

describe('docs/api.md', () => {
  /** Every problem type the code can return: the API's catalogue and every code a service throws. */
  async function emitted (): Promise<Set<string>> {
    const slugs = new Set<string>(PROBLEM_SLUGS)
    for (const dir of ['node', 'api']) {
      for (const file of (await readdir(join(ROOT, dir), { recursive: true })).filter(f => f.endsWith('.ts'))) {
        const text = await readFile(join(ROOT, dir, file), 'utf8')
        for (const match of text.matchAll(/new ServiceError\(\s*'([a-z-]+)'/g)) slugs.add(match[1] as string)
        for (const match of text.matchAll(/problem\(c,\s*'([a-z-]+)'/g)) slugs.add(match[1] as string)
      }
    }
    return slugs
  }

  it('lists every problem type the code can return, with its status', async () => {
    const doc = await readFile(join(ROOT, 'docs', 'api.md'), 'utf8')
    const rows = new Map([...doc.matchAll(/^\| `([a-z-]+)` \| (\d{3}) \| (.+) \|$/gm)].map(m => [m[1] as string, Number(m[2])]))
    const slugs = await emitted()
    assert.ok(slugs.size >= 25, `found ${slugs.size}`)
    assert.deepEqual([...slugs].filter(slug => !rows.has(slug)).sort(), [], 'missing from the error table')
    const { problemStatus } = await import('../../../api/problem.js')
    for (const slug of slugs) assert.equal(rows.get(slug), problemStatus(slug as never), `${slug} status`)
  })
})
