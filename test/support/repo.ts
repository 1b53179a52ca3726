/**
 * Files of the repository that are not compiled (fixtures, test vectors, the
 * command's entry), read where they are in the checkout. Tests and scripts run
 * compiled, from dist/; this module is dist/test/support/repo.js.
 */
export const REPO_ROOT = new URL('../../..', import.meta.url)

/** `path`, relative to the repository's root, as a file URL. */
export function repoFile (path: string): URL {
  return new URL(path, REPO_ROOT)
}
