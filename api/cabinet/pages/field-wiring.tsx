/** @jsxImportSource hono/jsx */
/**
 * How a hand-made form's field tells a screen reader about its hint and its
 * error: `aria-describedby` naming both, `aria-invalid` when wrong, and the
 * error's paragraph with the id it names. `prefix` keeps the ids of two forms
 * on one page apart.
 */
export function fieldWiring (errors: ReadonlyMap<string, string>, prefix = '') {
  const id = (name: string): string => `${prefix}${name}`
  return {
    described: (name: string, hint: boolean): Record<string, string | undefined> => {
      const ids = [hint ? `${id(name)}-hint` : undefined, errors.has(name) ? `${id(name)}-error` : undefined].filter(x => x !== undefined)
      return { 'aria-describedby': ids.length > 0 ? ids.join(' ') : undefined, 'aria-invalid': errors.has(name) ? 'true' : undefined }
    },
    error: (name: string) => {
      const message = errors.get(name)
      return message !== undefined && <p class='field-error' id={`${id(name)}-error`}>{message}</p>
    }
  }
}
