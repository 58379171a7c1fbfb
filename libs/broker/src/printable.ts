const MAX_LOGGED_CHARS = 64;

/**
 * A value a client chose (a client id before it is authenticated), as a log line may carry it:
 * quoted, control and non-ASCII characters escaped, at most 64 characters, so that no client can
 * forge log lines or fill the log.
 */
export function printable(value: string): string {
  const head = value.slice(0, MAX_LOGGED_CHARS);
  const escaped = head.replace(
    /[^\x20-\x7e]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  const rest = value.length - head.length;
  return `"${escaped.replaceAll('"', '\\"')}"${rest > 0 ? ` (+${rest} chars)` : ''}`;
}
