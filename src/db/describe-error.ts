import { errorMessage } from '../shared/error-message.js';

/** The URL without its password, for messages and logs. */
export function redactUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** One line an operator can act on, for the ways reaching PostgreSQL usually fails. */
export function describeDatabaseError(error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  // Keep it to one line: some errors (the schema engine's) span several.
  const message = errorMessage(error).replace(/\s+/g, ' ').trim();
  if (/Database `[^`]+` does not exist/.test(message)) return `${message}: run npm run db:migrate, which creates it.`;
  switch (code) {
    case 'ECONNREFUSED':
      return `PostgreSQL is not accepting connections (${message}): start it, or set DATABASE_URL to where it runs.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `PostgreSQL host not found (${message}): check the host in DATABASE_URL.`;
    case '28P01':
    case '28000':
      return `PostgreSQL refused the login (${message}): check the user and password in DATABASE_URL.`;
    case '3D000':
      return `${message}: run npm run db:migrate, which creates it.`;
    default:
      return message;
  }
}
