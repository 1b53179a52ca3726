/** The cabinet's stylesheet: served by the node, nothing from elsewhere. */
export const CABINET_CSS = `
:root { --ink: #1b1f24; --muted: #4b5563; --line: #d0d7de; --accent: #0b5394; --ok: #116329; --bad: #a40e26; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--ink); background: #fff; }
a { color: var(--accent); }
a:focus, button:focus, input:focus, select:focus { outline: 3px solid #f2b705; outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; }
header.top { display: flex; flex-wrap: wrap; gap: 12px 24px; align-items: center; justify-content: space-between; padding: 12px 24px; background: var(--accent); color: #fff; }
header.top a, header.top button { color: #fff; }
header.top nav { display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }
header.top form { display: inline; margin: 0; }
header.top button { background: none; border: 1px solid #fff; border-radius: 4px; padding: 2px 10px; font: inherit; cursor: pointer; }
.brand { font-weight: 700; font-size: 1.1rem; }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
h1 { font-size: 1.6rem; margin: 0 0 16px; }
h2 { font-size: 1.2rem; margin: 28px 0 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--bg); font-weight: 600; }
.muted { color: var(--muted); }
th .path { display: block; font-weight: normal; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: .875rem; border: 1px solid currentColor; }
.ok { color: var(--ok); }
.bad { color: var(--bad); }
.card { max-width: 420px; margin: 48px auto; padding: 24px; border: 1px solid var(--line); border-radius: 8px; }
label { display: block; font-weight: 600; margin: 12px 0 4px; }
input[type=text], input[type=password], textarea, select { width: 100%; padding: 8px; font: inherit; border: 1px solid #6e7781; border-radius: 4px; }
input[type=date], input[type=number] { display: block; padding: 6px 8px; font: inherit; border: 1px solid #6e7781; border-radius: 4px; }
fieldset { border: 1px solid var(--line); border-radius: 4px; margin: 8px 0; }
label.check { font-weight: 400; margin: 4px 0; }
section.procedure { margin: 16px 0 24px; padding: 12px 16px; border: 1px solid var(--line); border-radius: 8px; }
h3 { font-size: 1.05rem; margin: 8px 0; }
form.filters { display: grid; grid-template-columns: auto 1fr auto 1fr auto; gap: 8px; align-items: center; margin-bottom: 16px; }
form.filters label { margin: 0; }
form.filters button { margin: 0; }
form.filters.directory-filters { grid-template-columns: auto 1fr auto 1fr auto 1fr; }
button.primary { margin-top: 16px; padding: 8px 16px; font: inherit; color: #fff; background: var(--accent); border: 0; border-radius: 4px; cursor: pointer; }
.error { color: var(--bad); border-left: 4px solid var(--bad); padding: 4px 12px; background: #fff5f5; }
.mono { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85rem; word-break: break-all; }
.langs a[aria-current] { font-weight: 700; text-decoration: none; }
dl.fields { display: grid; grid-template-columns: minmax(160px, 30%) 1fr; gap: 6px 16px; }
dl.fields dt { font-weight: 600; color: var(--muted); }
dl.fields dd { margin: 0; white-space: pre-wrap; }
.field { margin: 10px 0; }
.hint { margin: 2px 0 4px; font-size: .875rem; color: var(--muted); }
.field-error { margin: 4px 0 0; color: var(--bad); font-weight: 600; }
[aria-invalid=true] { border-color: var(--bad); border-width: 2px; }
.req { color: var(--bad); }
fieldset.group { margin: 16px 0; padding: 8px 16px 12px; }
fieldset.group > legend { font-weight: 700; padding: 0 4px; }
fieldset.nested { background: #fbfcfd; }
button.secondary { margin: 8px 8px 0 0; padding: 4px 12px; font: inherit; color: var(--accent); background: #fff; border: 1px solid var(--accent); border-radius: 4px; cursor: pointer; }
.document-form { max-width: 820px; }
details.optional { margin: 8px 0; }
details.optional > summary { cursor: pointer; color: var(--accent); font-weight: 600; }
.notice { padding: 8px 12px; border-left: 4px solid #f2b705; background: #fffbea; }
form.inline { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
form.inline label { margin: 0; font-weight: 400; }
form.inline input[type=text] { width: 12em; }
form.inline button { margin: 0; }
ol.timeline { list-style: none; margin: 8px 0 16px; padding: 0 0 0 20px; border-left: 3px solid var(--line); }
ol.timeline > li { position: relative; margin: 0 0 14px; }
ol.timeline > li::before { content: ""; position: absolute; left: -28px; top: 6px; width: 11px; height: 11px; border-radius: 50%; background: var(--accent); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
input[type=datetime-local] { display: block; padding: 6px 8px; font: inherit; border: 1px solid #6e7781; border-radius: 4px; }
ul.fieldlist { margin: 4px 0; padding-left: 18px; font-size: .875rem; columns: 2 14em; }
td.fields-cell { width: 45%; }
svg.chart { display: block; max-width: 800px; margin: 8px 0 16px; }
nav.tabs { display: flex; flex-wrap: wrap; gap: 4px; margin: -4px 0 16px; border-bottom: 1px solid var(--line); }
nav.tabs a { padding: 6px 14px; border: 1px solid transparent; border-bottom: 0; border-radius: 4px 4px 0 0; text-decoration: none; }
nav.tabs a[aria-current=page] { border-color: var(--line); background: #fff; color: var(--ink); font-weight: 600; margin-bottom: -1px; }
ul.compact { margin: 0; padding: 0 0 0 18px; }
ul.compact li { margin: 0; }
details.former { margin: 12px 0; }
details > summary { cursor: pointer; color: var(--accent); }
.scroll { overflow-x: auto; }
table.matrix th { min-width: 14em; }
table.matrix th.who { text-align: center; min-width: 6em; width: 9em; }
table.matrix tr.group-start > * { border-top: 2px solid var(--line); }
table.matrix td.yes, table.matrix td.no { text-align: center; }
table.matrix td.yes { color: var(--ok); font-weight: 700; background: #f0faf2; }
table.matrix td.yes .muted { font-weight: 400; }
table.matrix td.no { color: var(--muted); }
table.matrix td.value { max-width: 22em; overflow-wrap: anywhere; }
section.webhook dl.fields { margin: 8px 0; }
.badge.muted { color: var(--muted); }
.badge, .nowrap { white-space: nowrap; }
.code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85rem; }
form.inline select { width: auto; max-width: 100%; }
td.who { min-width: 12em; }
.reason { overflow-wrap: anywhere; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tfoot th, tfoot td { border-bottom: 0; padding-top: 4px; padding-bottom: 4px; }
tfoot th { background: none; text-align: right; font-weight: 400; }
tfoot tr:first-child > * { border-top: 2px solid var(--line); padding-top: 10px; }
tr.total > * { font-weight: 700; }
td.item { min-width: 11em; }
td.basis { min-width: 12em; }
.badge.risk-green { color: #0f5323; background: #dafbe1; }
.badge.risk-yellow { color: #6b4200; background: #fff3b0; }
.badge.risk-red { color: #8a0c20; background: #ffe3e6; }
section.order { margin: 16px 0 24px; padding: 12px 16px; border: 1px solid var(--line); border-radius: 8px; }
section.order h2 { margin-top: 4px; }
.order-body { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 8px 32px; }
.order-body dl.fields { grid-template-columns: minmax(110px, 30%) 1fr; }
.decide form { margin: 0 0 16px; }
.decide h3 { margin-top: 0; }
table.amounts { width: auto; }
table.amounts th, table.amounts td { padding: 2px 16px 2px 0; border: 0; background: none; font-weight: 400; }
table.amounts tr.total > * { border-top: 1px solid var(--line); font-weight: 700; }
li.evaluation h3 { font-size: 1rem; margin: 4px 0; }
li.evaluation > p { margin: 0 0 6px; }
ul.rules li { margin: 0 0 6px; }
@media (max-width: 760px) { .order-body { grid-template-columns: 1fr; } }
@media print { header.top, .noprint { display: none; } main { padding: 0; } }
`

/** The cabinet's icon: a camel's hump over a road, in the header's blue. */
export const CABINET_ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b5394"/><path d="M5 22c3-9 6-12 9-6 2-5 6-6 9 0 1 2 2 4 4 6" fill="none" stroke="#fff" stroke-width="2.5" stroke-linecap="round"/><path d="M4 26h24" stroke="#f2b705" stroke-width="2.5" stroke-linecap="round"/></svg>'
