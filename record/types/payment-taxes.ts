/** The kinds of payment a declaration owes: customs duty, excise, VAT on import, and the fees of the procedure. */
export const PAYMENT_TAXES = ['duty', 'excise', 'vat', 'fee'] as const

export type PaymentTax = typeof PAYMENT_TAXES[number]
