-- Security events (sign-ins, failures, lockouts, role denials, exports, two-factor changes): append-only.
CREATE TABLE security_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    email TEXT NULL,
    staff_user_id INTEGER NULL,
    client_address TEXT NULL,
    path TEXT NULL,
    detail TEXT NULL
);
CREATE INDEX ix_security_events_occurred ON security_events (occurred_at);
CREATE INDEX ix_security_events_kind ON security_events (kind, occurred_at);

-- The log can only grow: changing or removing a row fails, whoever asks.
CREATE TRIGGER security_events_no_update BEFORE UPDATE ON security_events
BEGIN
    SELECT RAISE(ABORT, 'security_events is append-only: rows cannot be changed');
END;
CREATE TRIGGER security_events_no_delete BEFORE DELETE ON security_events
BEGIN
    SELECT RAISE(ABORT, 'security_events is append-only: rows cannot be deleted');
END;

-- Optional TOTP two-factor (RFC 6238). totp_last_step stops a code being used twice.
ALTER TABLE staff_users ADD COLUMN totp_secret TEXT NULL;
ALTER TABLE staff_users ADD COLUMN totp_enabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE staff_users ADD COLUMN totp_last_step INTEGER NULL;
