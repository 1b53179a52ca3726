/**
 * Charts drawn on the server as SVG, so a person reads them at a glance with
 * no script and nothing fetched from elsewhere. Each carries its figures as
 * its accessible name; the numbers are also printed beside the bars.
 */

export interface Bar {
  readonly label: string
  readonly value: number
  /** What is printed beside the bar (the value, formatted), when not the bare number. */
  readonly text?: string
}

const ROW = 26
const LABEL_WIDTH = 260
const BAR_WIDTH = 420
const TEXT_WIDTH = 120

/** Horizontal bars, one per item, scaled to the largest. */
export function BarChart (props: { title: string, bars: readonly Bar[], id?: string }) {
  const max = Math.max(1, ...props.bars.map(b => b.value))
  const height = Math.max(1, props.bars.length) * ROW + 8
  const width = LABEL_WIDTH + BAR_WIDTH + TEXT_WIDTH
  const summary = props.bars.map(b => `${b.label}: ${b.text ?? String(b.value)}`).join('; ')
  return (
    <svg class='chart' id={props.id} viewBox={`0 0 ${width} ${height}`} width='100%' role='img' aria-label={`${props.title}. ${summary}`} xmlns='http://www.w3.org/2000/svg'>
      <title>{props.title}</title>
      {props.bars.map((b, i) => {
        const y = 4 + i * ROW
        const length = Math.round(BAR_WIDTH * b.value / max)
        return (
          <g>
            <text x={LABEL_WIDTH - 8} y={y + 17} text-anchor='end' font-size='13' fill='#1b1f24'>{b.label.length > 38 ? `${b.label.slice(0, 37)}…` : b.label}</text>
            <rect x={LABEL_WIDTH} y={y + 3} width={Math.max(length, b.value > 0 ? 2 : 0)} height={ROW - 8} fill='#0b5394' />
            <text x={LABEL_WIDTH + Math.max(length, 0) + 6} y={y + 17} font-size='13' fill='#1b1f24'>{b.text ?? String(b.value)}</text>
          </g>
        )
      })}
    </svg>
  )
}
