/** The part of jsonld.js (no types of its own) the tests use. */
declare module 'jsonld' {
  interface RemoteDocument { contextUrl: string | null, document: unknown, documentUrl: string }
  interface Options { documentLoader?: (url: string) => Promise<RemoteDocument> }
  const jsonld: { expand: (input: unknown, options?: Options) => Promise<unknown[]> }
  export default jsonld
}
