/**
 * Pages that follow what happens: the cabinet's event stream (`/events`, for
 * a signed-in person) says which application changed, and the page's script
 * (`/assets/live.js`, served by the node; the CSP runs no other) reloads a
 * list, or offers to reload the application open, without the person asking.
 */
import type { Context } from 'hono'
import { streamSSE } from 'hono/streaming'
import { listen } from '../../node/events.js'
import type { NodeApi } from '../../node/node-api.js'
import { RecordTypes } from '../../record/types/names.js'

const KEEPALIVE_MS = 15_000
/** Events a client may fall behind by before it is cut off: a page reloads on the first anyway. */
const MAX_BEHIND = 100

export function liveEvents (c: Context, node: NodeApi): Response {
  return streamSSE(c, async (stream) => {
    let behind = 0
    const send = (application: string): void => {
      if (behind >= MAX_BEHIND) {
        stream.abort()
        return
      }
      behind++
      void stream.writeSSE({ event: 'application', data: JSON.stringify({ application }) }).finally(() => { behind-- })
    }
    const unlisten = listen(node.events, {
      'application:changed': application => { send(application) },
      'record:stored': record => { if (record.envelope.type === RecordTypes.applicationSubmission) send(record.id) }
    })
    const keepalive = setInterval(() => { void stream.write(': keepalive\n\n') }, KEEPALIVE_MS)
    try {
      await new Promise<void>(resolve => { stream.onAbort(resolve) })
    } finally {
      clearInterval(keepalive)
      unlisten()
    }
  })
}

/**
 * The script of live pages. `data-live="list"`: reload on any change (a list,
 * nothing typed in it to lose); `data-live="<application id>"`: on a change of
 * that application, show the notice that asks to reload, as a form being
 * filled in must not vanish.
 */
export const LIVE_JS = `'use strict'
const live = document.body.dataset.live
if (live) {
  const source = new EventSource('/events')
  source.addEventListener('application', (event) => {
    const { application } = JSON.parse(event.data)
    if (live === 'list') {
      source.close()
      location.reload()
    } else if (live === application) {
      const notice = document.getElementById('changed')
      if (notice) notice.hidden = false
    }
  })
}
`
