/**
 * The keruen commands as the command line lists and parses them. A command's
 * implementation is loaded only when it runs, with what it needs: the help, and
 * commands that work offline, do not load libp2p or the database.
 */
import type { Command } from '../cli-support.js'

export const commands: readonly Command[] = [
  {
    name: 'init',
    summary: 'create a data folder: key, profile and API token',
    usage: 'keruen init [--data DIR] [--name NAME] [--role trader|carrier|agency|authority|broker|bank] [--country XX] [--legal-id ID]',
    options: {
      data: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      country: { type: 'string' },
      'legal-id': { type: 'string' }
    },
    load: async () => await import('./init.js')
  },
  {
    name: 'start',
    summary: 'run the node (initialises the data folder with defaults on first start)',
    usage: [
      'keruen start [--data DIR] [--api-port P] [--api-host H] [--p2p-port Q] [--p2p-host H] [--tls-cert FILE --tls-key FILE] [--log-level L]',
      '',
      'With --tls-cert and --tls-key (PEM files; or tlsCert and tlsKey in config.json) the API and the cabinet',
      'are served over HTTPS only; give both or neither.',
      '',
      'Logs to standard output: readable lines on a terminal, JSON lines otherwise. The level is info unless',
      '--log-level or KERUEN_LOG says otherwise (fatal, error, warn, info, debug, trace, silent).'
    ].join('\n'),
    options: {
      data: { type: 'string' },
      'log-level': { type: 'string' },
      'api-port': { type: 'string' },
      'api-host': { type: 'string' },
      'p2p-port': { type: 'string' },
      'p2p-host': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' }
    },
    load: async () => await import('./start.js')
  },
  {
    name: 'record',
    summary: 'add, read or verify records',
    usage: [
      'keruen record add FILE [--data DIR]      sign and store the record described in FILE ({ type, consignment?, data, validUntil?, supersedes? })',
      'keruen record get ID [--data DIR] [--cbor]  print a record (JSON, or its exact signed bytes)',
      'keruen record verify FILE               verify a record file (CBOR bytes or JSON) offline'
    ].join('\n'),
    options: { data: { type: 'string' }, cbor: { type: 'boolean' } },
    load: async () => await import('./record.js')
  },
  {
    name: 'trust',
    summary: 'manage the authorities whose certificates this node accepts',
    usage: [
      'keruen trust add AUTHORITY_ID [--name N] [--country XX] [--data DIR]   trust an authority',
      'keruen trust list [--data DIR]                                      list trusted authorities',
      'keruen trust remove AUTHORITY_ID [--data DIR]                       stop trusting an authority'
    ].join('\n'),
    options: { data: { type: 'string' }, name: { type: 'string' }, country: { type: 'string' } },
    load: async () => await import('./trust.js')
  },
  {
    name: 'authority',
    summary: 'issue and revoke participant certificates (on an authority node)',
    usage: [
      'keruen authority certify --participant ID --role R --name N --country XX [--legal-id ID] [--competence C] [--aeo 1|2|3] [--valid-until DATE] [--out FILE] [--data DIR]',
      'keruen authority revoke --certificate RECORD_ID --reason TEXT [--out FILE] [--data DIR]',
      '',
      'The certificate or revocation is printed (or written to FILE) as a signed record in JSON transport form;',
      'the participant installs it with keruen certificate install FILE.'
    ].join('\n'),
    options: {
      data: { type: 'string' },
      participant: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      country: { type: 'string' },
      'legal-id': { type: 'string' },
      competence: { type: 'string' },
      aeo: { type: 'string' },
      'valid-until': { type: 'string' },
      certificate: { type: 'string' },
      reason: { type: 'string' },
      out: { type: 'string' }
    },
    load: async () => await import('./authority.js')
  },
  {
    name: 'certificate',
    summary: 'install this node\'s participant certificate (or any certificate or revocation)',
    usage: 'keruen certificate install FILE [--data DIR]   verify and store a trust.certificate or trust.revocation record',
    options: { data: { type: 'string' } },
    load: async () => await import('./certificate.js')
  },
  {
    name: 'user',
    summary: 'manage the people who use the cabinet (the web pages at the API\'s address)',
    usage: [
      'keruen user add LOGIN --role admin|declarant|officer|viewer [--name NAME] [--data DIR]   add an account; prints its password once',
      'keruen user list [--data DIR]                                                         list the accounts',
      'keruen user disable LOGIN [--data DIR]                                                disable an account and end its sessions',
      'keruen user reset LOGIN [--data DIR]                                                  give an account a new password; prints it once'
    ].join('\n'),
    options: { data: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' } },
    load: async () => await import('./user.js')
  },
  {
    name: 'token',
    summary: 'manage the API tokens of the participant\'s systems (an ERP, a broker\'s software), each with its scopes',
    usage: [
      'keruen token add NAME --scope read,write,decide,admin [--data DIR]   make a token with some of these scopes; prints it once',
      'keruen token list [--data DIR]                                      list the tokens (never the tokens themselves)',
      'keruen token revoke ID [--data DIR]                                 refuse the token ID from now on',
      '',
      'read: every GET; write: read, and create records, capture events, apply, share, subscribe; decide: read,',
      'and an agency\'s steps on an application; admin: everything, accounts and tokens included. A system sends',
      'its token as Authorization: Bearer TOKEN; one beyond its scopes gets 403, a revoked one 401.'
    ].join('\n'),
    options: { data: { type: 'string' }, scope: { type: 'string' } },
    load: async () => await import('./token.js')
  },
  {
    name: 'doctor',
    summary: 'check a stopped node\'s data folder: every record\'s signature and the indexes against the records',
    usage: [
      'keruen doctor [--data DIR]',
      '',
      'Run it with the node stopped (the node holds its database). Reports what LevelDB dropped of its log on',
      'opening, each record that does not verify or fit its type, and each index entry missing, wrong or left',
      'over; exits 1 if it found any.'
    ].join('\n'),
    options: { data: { type: 'string' } },
    load: async () => await import('./doctor.js')
  },
  {
    name: 'devnet',
    summary: 'run a local network: an authority and N certified participants on 127.0.0.1',
    usage: [
      'keruen devnet --dir DIR [--nodes N] [--log-level L]',
      '',
      'Starts one authority and N participants (default 5: trader, carrier, customs, SPS agency, bank), each with its',
      'own data folder under DIR, certified, trusting the authority and connected to the others. Writes',
      'DIR/devnet.json (participant id, role, name, API URL and token of each node) and runs until interrupted.',
      'Run it again on the same DIR to restart the same network with its data.'
    ].join('\n'),
    options: { dir: { type: 'string' }, nodes: { type: 'string' }, 'log-level': { type: 'string' } },
    load: async () => await import('./devnet.js')
  }
]
