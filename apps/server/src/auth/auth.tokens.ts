export const AUTH_OPTIONS = Symbol('AuthOptions');
/** Where the generated signing key and first administrator password are kept. */
export const AUTH_DATA_DIR = Symbol('AuthDataDir');
