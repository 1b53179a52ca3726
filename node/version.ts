/** This software's version, as the API and the handshake report it. */
export const SOFTWARE_VERSION = '0.1.0'
