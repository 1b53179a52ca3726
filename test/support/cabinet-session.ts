/**
 * A person using the cabinets of several nodes over HTTP, in English: pages
 * read and forms posted with their session cookie, signed in with the
 * passwords the tests gave the accounts.
 */
import assert from 'node:assert/strict'
import type { TempNode } from './temp-node.js'

export interface CabinetSession { readonly cookie: string, readonly csrf: string }

export function cabinetBrowser (passwords: ReadonlyMap<string, string>) {
  const browse = async (t: TempNode, method: string, path: string, init: { cookie?: string, form?: Record<string, string> } = {}): Promise<Response> =>
    await t.api.request(path, {
      method,
      headers: {
        ...(init.cookie !== undefined && { cookie: init.cookie }),
        ...(init.form !== undefined && { 'content-type': 'application/x-www-form-urlencoded' }),
        'accept-language': 'en'
      },
      ...(init.form !== undefined && { body: new URLSearchParams(init.form).toString() })
    })
  /** Signs `name` in; the cookie of its session, and the CSRF token its forms carry. */
  const signIn = async (t: TempNode, name: string): Promise<CabinetSession> => {
    const response = await browse(t, 'POST', '/login', { form: { login: name, password: passwords.get(name) as string, next: '/' } })
    assert.equal(response.status, 303, name)
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const html = await (await browse(t, 'GET', '/', { cookie })).text()
    return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '' }
  }
  return { browse, signIn }
}
