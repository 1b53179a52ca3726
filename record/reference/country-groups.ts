/**
 * Groups of countries a measure may name instead of listing them: the
 * members of the Eurasian Economic Union (Treaty of 29 May 2014 and the
 * accession treaties of Armenia and Kyrgyzstan) and of the European Union.
 */
export const COUNTRY_GROUPS: Readonly<Record<string, readonly string[]>> = {
  EAEU: ['AM', 'BY', 'KG', 'KZ', 'RU'],
  EU: ['AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK']
}

/** Whether `country` is one of `list`, directly or through a group it names. */
export function inCountries (country: string, list: readonly string[]): boolean {
  return list.some(c => c === country || (COUNTRY_GROUPS[c]?.includes(country) ?? false))
}
