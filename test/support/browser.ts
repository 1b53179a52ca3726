/**
 * A real browser for the cabinet's tests: Debian's Chromium driven by
 * playwright-core (never a browser build of its own). Records what a person
 * would not see but should never happen: console errors, failed requests,
 * answers of 400 and over, scripts stopped by the Content-Security-Policy.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { repoFile } from './repo.js'
import { startApiServer, type ApiServer } from '../../api/server.js'
import type { AccountRole } from '../../node/accounts/account-service.js'
import type { OpenNodeOptions } from '../../node/node.js'
import { openTempNode, type TempNode } from './temp-node.js'

export const CHROMIUM = process.env.KERUEN_CHROMIUM ?? '/usr/bin/chromium'
/** Where the tests write their screenshots. */
export const SCREENSHOTS = fileURLToPath(repoFile('dist/screenshots'))

/** axe-core, evaluated in each page a test photographs: serious and critical findings are faults. */
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

interface AxeResult { violations: Array<{ id: string, impact?: string | null, help: string, nodes: Array<{ target: unknown[] }> }> }

export interface Watched {
  readonly page: Page
  /** Everything that went wrong so far, one line each; accessibility findings of the pages photographed included. */
  readonly faults: string[]
  /** Writes a screenshot of the page and checks it with axe-core. */
  shot: (name: string) => Promise<string>
}

/** Launches Chromium headless, or returns why it cannot. */
export async function launch (): Promise<Browser | string> {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install -y chromium)`
  return await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // This machine's network is closed: Chromium's own background traffic would only fail.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
}

/** A new page in its own context (its own cookies), in `locale`, watched for faults. */
export async function watchedPage (browser: Browser, locale = 'en-GB'): Promise<Watched> {
  const context = await browser.newContext({ locale, viewport: { width: 1200, height: 800 } })
  const page = await context.newPage()
  const faults: string[] = []
  page.on('console', message => { if (message.type() === 'error') faults.push(`console: ${message.text()}`) })
  page.on('pageerror', error => { faults.push(`page error: ${error.message}`) })
  page.on('requestfailed', request => {
    const reason = request.failure()?.errorText ?? ''
    // A live page's event stream stays open until the page is left, which aborts it: that is its end, not a failure.
    if (new URL(request.url()).pathname === '/events' && reason === 'net::ERR_ABORTED') return
    faults.push(`request failed: ${request.url()} ${reason}`)
  })
  page.on('response', response => { if (response.status() >= 400) faults.push(`${response.status()} ${response.url()}`) })
  await mkdir(SCREENSHOTS, { recursive: true })
  return {
    page,
    faults,
    shot: async (name) => {
      const path = join(SCREENSHOTS, `${name}.png`)
      await page.screenshot({ path, fullPage: true })
      // Evaluated through the browser's debugging protocol, which the page's CSP does not govern.
      await page.evaluate(AXE)
      const result = await page.evaluate(async () => await (globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<AxeResult> } }).axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ['violations'] }))
      for (const v of result.violations) {
        if (v.impact === 'serious' || v.impact === 'critical') faults.push(`accessibility (${name}): ${v.id} ${v.help}: ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)
      }
      return path
    }
  }
}

/** Chromium for a mocha hook, or the hook skipped with the reason printed. */
export async function browserOrSkip (context: Mocha.Context): Promise<Browser> {
  const launched = await launch()
  if (typeof launched === 'string') {
    console.log(`      skipped: ${launched}`)
    context.skip()
  }
  return launched as Browser
}

/** Signs in on the cabinet at `url` through its login form, as a person does. */
export async function signIn (page: Page, url: string, login: string, password: string): Promise<void> {
  await page.goto(`${url}/login`)
  await page.getByLabel('Login').fill(login)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(`${url}/`)
}

/** A node serving its cabinet, a browser to use it, and its first person's password. */
export interface CabinetRig {
  readonly browser: Browser
  readonly t: TempNode
  readonly server: ApiServer
  readonly password: string
  close: () => Promise<void>
}

/**
 * For a mocha hook: Chromium, a node in a new folder (`options`) serving its
 * API and cabinet, and an account `person`; or the hook skipped, with why.
 */
export async function cabinetRigOrSkip (context: Mocha.Context, person: { id: string, name: string, role: AccountRole }, options: Partial<OpenNodeOptions> = {}): Promise<CabinetRig> {
  const browser = await browserOrSkip(context)
  const t = await openTempNode(options)
  const server = await startApiServer(t.node)
  const { password } = await t.node.accounts.add(person)
  return {
    browser,
    t,
    server,
    password,
    close: async () => {
      await browser.close()
      await server.close()
      await t.close()
    }
  }
}
