import type { RecordData, RecordTypeDefinition } from './definition.js'
import { countryCode, describe, name, oneOf, participantId, recordId, recordSchema, shortText, text } from './common.js'
import { RecordTypes } from './names.js'

/** The roles a participant can be certified for. */
export const PARTICIPANT_ROLES = ['trader', 'carrier', 'agency', 'authority', 'broker', 'bank'] as const
export type ParticipantRole = typeof PARTICIPANT_ROLES[number]

/** The types of authorised economic operator certificate of the EAEU Customs Code: the first, second and third. */
export const AEO_TYPES = ['1', '2', '3'] as const

export const trustCertificate = {
  type: RecordTypes.trustCertificate,
  title: 'Participant certificate',
  description: 'An authority (a state\'s registration body) certifies that a participant id belongs to a named participant with a role in its country. ' +
    'Its validity ends at the envelope\'s validUntil; a trust.revocation by the same authority ends it earlier.',
  consignmentRequired: false,
  schema: recordSchema('Participant certificate', 'Certificate of a keruen participant.', {
    participant: describe(participantId, 'the certified participant'),
    role: oneOf(PARTICIPANT_ROLES, 'what the participant is certified as'),
    name: describe(name, 'registered name of the participant'),
    country: describe(countryCode, 'country whose authority certifies the participant'),
    legalId: describe(shortText, 'national registration number (BIN, INN, EORI …)'),
    competence: text(256, 'for agencies: the competence the certificate grants, e.g. customs, phytosanitary control'),
    aeo: oneOf(AEO_TYPES, 'for traders, brokers and carriers: the type of authorised economic operator certificate the participant holds (EAEU: 1, 2 or 3)')
  }, ['participant', 'role', 'name', 'country'])
} satisfies RecordTypeDefinition

export const trustRevocation = {
  type: RecordTypes.trustRevocation,
  title: 'Certificate revocation',
  description: 'The authority that issued a participant certificate withdraws it; from then on the participant is refused.',
  consignmentRequired: false,
  schema: recordSchema('Certificate revocation', 'Revocation of a keruen participant certificate.', {
    certificate: describe(recordId, 'id of the revoked trust.certificate record'),
    participant: describe(participantId, 'the participant the certificate named'),
    reason: text(1024, 'why the certificate is withdrawn')
  }, ['certificate', 'participant', 'reason'])
} satisfies RecordTypeDefinition

export type TrustCertificateData = RecordData<typeof trustCertificate>
export type TrustRevocationData = RecordData<typeof trustRevocation>
