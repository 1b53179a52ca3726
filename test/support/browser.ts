/**
 * A real browser for the cabinet's tests: Debian's Chromium driven by
 * playwright-core (never a browser build of its own). Records what a person
 * would not see but should never happen: console errors, failed requests,
 * answers of 400 and over, scripts stopped by the Content-Security-Policy.
 */
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { repoFile } from './repo.js'

export const CHROMIUM = process.env.KERUEN_CHROMIUM ?? '/usr/bin/chromium'
/** Where the tests write their screenshots. */
export const SCREENSHOTS = fileURLToPath(repoFile('dist/screenshots'))

export interface Watched {
  readonly page: Page
  /** Everything that went wrong so far, one line each. */
  readonly faults: string[]
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
  page.on('requestfailed', request => { faults.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`) })
  page.on('response', response => { if (response.status() >= 400) faults.push(`${response.status()} ${response.url()}`) })
  await mkdir(SCREENSHOTS, { recursive: true })
  return {
    page,
    faults,
    shot: async (name) => {
      const path = join(SCREENSHOTS, `${name}.png`)
      await page.screenshot({ path, fullPage: true })
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
