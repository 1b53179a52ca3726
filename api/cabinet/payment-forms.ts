/**
 * Paying in the cabinet: the trader's pay form (bank, payer's and payee's
 * accounts, reference) read into a payment order with what is wrong beside
 * each field, what it is filled with at first, and the bank's confirm and
 * refuse forms.
 */
import type { OrderView } from '../../node/payments/settlement-service.js'
import type { PaymentOrderData } from '../../record/types/index.js'
import type { Violation } from '../../node/errors.js'
import type { MessageKey } from './i18n.js'
import { violationText } from './schema-form.js'

type T = (key: MessageKey, vars?: Record<string, string | number>) => string

/** A participant the form offers: a certified bank, or an agency to pay. */
export interface PayChoice {
  readonly participant: string
  readonly name: string
  readonly competence?: string | undefined
}

/** The pay form as sent (or as first filled in), kept to show it again. */
export interface PayForm {
  readonly bank: string
  readonly payerName: string
  readonly payerAccount: string
  readonly payerBic: string
  readonly payeeAgency: string
  readonly payeeName: string
  readonly payeeAccount: string
  readonly payeeBic: string
  readonly reference: string
}

export type OrderInput = { bank: string, payer: PaymentOrderData['payer'], payee: PaymentOrderData['payee'], reference?: string }

const BIC = /^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/
const ACCOUNT = /^[A-Z0-9]{1,34}$/

const field = (form: Record<string, unknown>, name: string, max: number): string => {
  const value = form[name]
  return typeof value === 'string' ? value.trim().slice(0, max) : ''
}
/** Account numbers and BICs are written in groups and either case; they are kept in one. */
const code = (form: Record<string, unknown>, name: string): string => field(form, name, 64).replace(/\s+/g, '').toUpperCase()

/** Whether an agency is certified for customs, the payee of a declaration's payments. */
export const isCustoms = (choice: PayChoice): boolean => /customs|тамож|кеден/i.test(choice.competence ?? '')

/**
 * What the form holds at first. The payee is the customs agency the
 * consignment's applications went to (else the first certified for customs);
 * the payer, the bank and the customs account are those of this node's last
 * order, when it made one.
 */
export function firstPayForm (input: { banks: readonly PayChoice[], agencies: readonly PayChoice[], involved: ReadonlySet<string>, ownOrders: readonly OrderView[], selfName: string, ref: string }): PayForm {
  const customs = input.agencies.filter(isCustoms)
  const agency = customs.find(a => input.involved.has(a.participant)) ?? input.agencies.find(a => input.involved.has(a.participant)) ?? customs[0]
  const last = input.ownOrders[0]?.order
  const paidBefore = input.ownOrders.find(o => agency !== undefined && o.order.payee.participant === agency.participant)?.order.payee
  return {
    bank: input.banks.some(b => b.participant === last?.bank) ? last?.bank ?? '' : input.banks.length === 1 ? input.banks[0]?.participant ?? '' : '',
    payerName: last?.payer.name ?? input.selfName,
    payerAccount: last?.payer.account ?? '',
    payerBic: last?.payer.bic ?? '',
    payeeAgency: agency?.participant ?? '',
    payeeName: paidBefore?.name ?? agency?.name ?? '',
    payeeAccount: paidBefore?.account ?? '',
    payeeBic: paidBefore?.bic ?? '',
    reference: input.ref
  }
}

/** The pay form read into an order for `settlements.order`, or what is wrong with it by field name. */
export function readPayForm (form: Record<string, unknown>, options: { t: T, banks: readonly PayChoice[], agencies: readonly PayChoice[], self: string }): { input: PayForm, order?: OrderInput, errors: Map<string, string> } {
  const { t } = options
  const input: PayForm = {
    bank: field(form, 'bank', 200),
    payerName: field(form, 'payerName', 256),
    payerAccount: code(form, 'payerAccount'),
    payerBic: code(form, 'payerBic'),
    payeeAgency: field(form, 'payeeAgency', 200),
    payeeName: field(form, 'payeeName', 256),
    payeeAccount: code(form, 'payeeAccount'),
    payeeBic: code(form, 'payeeBic'),
    reference: field(form, 'reference', 140)
  }
  const errors = new Map<string, string>()
  if (!options.banks.some(b => b.participant === input.bank)) errors.set('bank', t('errBank'))
  if (input.payeeAgency !== '' && !options.agencies.some(a => a.participant === input.payeeAgency)) errors.set('payeeAgency', t('errChoice'))
  for (const side of ['payer', 'payee'] as const) {
    if (input[`${side}Name`] === '') errors.set(`${side}Name`, t('errRequired'))
    const account = input[`${side}Account`]
    if (account === '') errors.set(`${side}Account`, t('errRequired'))
    else if (!ACCOUNT.test(account)) errors.set(`${side}Account`, t('errAccount'))
    const bic = input[`${side}Bic`]
    if (bic !== '' && !BIC.test(bic)) errors.set(`${side}Bic`, t('errBic'))
  }
  if (errors.size > 0) return { input, errors }
  const account = (name: string, number: string, bic: string, participant: string): OrderInput['payer'] =>
    ({ name, account: number, ...(bic !== '' && { bic }), ...(participant !== '' && { participant }) })
  return {
    input,
    errors,
    order: {
      bank: input.bank,
      payer: account(input.payerName, input.payerAccount, input.payerBic, options.self),
      payee: account(input.payeeName, input.payeeAccount, input.payeeBic, input.payeeAgency),
      ...(input.reference !== '' && { reference: input.reference })
    }
  }
}

/** The fields of the pay form by the order's pointers, for what the node refuses. */
const PAY_FIELDS: Readonly<Record<string, string>> = {
  '/bank': 'bank',
  '/payer/name': 'payerName',
  '/payer/account': 'payerAccount',
  '/payer/bic': 'payerBic',
  '/payee/name': 'payeeName',
  '/payee/account': 'payeeAccount',
  '/payee/bic': 'payeeBic',
  '/payee/participant': 'payeeAgency',
  '/reference': 'reference'
}

/** The node's refusal of an order, beside the fields it names; what names none is left to the caller. */
export function payErrors (t: T, violations: readonly Violation[]): Map<string, string> {
  const errors = new Map<string, string>()
  for (const v of violations) {
    const name = PAY_FIELDS[v.path.startsWith('/data/') ? v.path.slice('/data'.length) : v.path]
    if (name !== undefined && !errors.has(name)) errors.set(name, name === 'bank' ? t('errBank') : violationText(t, v.message))
  }
  return errors
}

/** What is left to pay of an order, exactly: its total less what was confirmed. */
export function restOf (order: OrderView): string {
  const cents = (value: string): bigint => {
    const [whole = '0', fraction = ''] = value.split('.')
    return BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2))
  }
  const rest = cents(order.order.total) - cents(order.paid)
  const sign = rest < 0n ? '-' : ''
  const abs = rest < 0n ? -rest : rest
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`
}

/** The bank's confirm form: the part paid (empty: the rest of the order) and its own reference. */
export function readConfirmForm (form: Record<string, unknown>, order: OrderView, t: T): { total?: string, bankReference?: string, errors: Map<string, string> } {
  const written = field(form, 'total', 40).replace(/[\s\u00a0]/g, '').replace(',', '.')
  const bankReference = field(form, 'bankReference', 64)
  const errors = new Map<string, string>()
  if (written !== '' && !/^(0|[1-9][0-9]*)(\.[0-9]{1,2})?$/.test(written)) errors.set('total', t('errTotal'))
  // Empty pays what is left: the whole of a pending order, the rest of a part-paid one.
  const total = written !== '' ? written : order.status === 'partly-paid' ? restOf(order) : undefined
  return { ...(total !== undefined && { total }), ...(bankReference !== '' && { bankReference }), errors }
}
