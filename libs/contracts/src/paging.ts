/** A page of alerts holds at most this many. */
export const MAX_ALERT_PAGE = 500;
/** A page of the audit trail holds at most this many entries. */
export const MAX_AUDIT_PAGE = 1_000;
