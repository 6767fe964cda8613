-- Security events (sign-ins, failures, lockouts, role denials, exports, two-factor changes): append-only.
CREATE TABLE security_events (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    occurred_at DATETIME2 NOT NULL,
    kind NVARCHAR(40) NOT NULL,
    email NVARCHAR(254) NULL,
    staff_user_id BIGINT NULL,
    client_address NVARCHAR(64) NULL,
    path NVARCHAR(400) NULL,
    detail NVARCHAR(1000) NULL
);
CREATE INDEX ix_security_events_occurred ON security_events (occurred_at);
CREATE INDEX ix_security_events_kind ON security_events (kind, occurred_at);
GO

-- The log can only grow: changing or removing a row fails, whoever asks (also DENY UPDATE, DELETE to the app's login
-- if it is not the table owner: see docs/security.md).
CREATE TRIGGER security_events_append_only ON security_events INSTEAD OF UPDATE, DELETE
AS
BEGIN
    THROW 51000, 'security_events is append-only: rows cannot be changed or deleted', 1;
END;
GO

-- Optional TOTP two-factor (RFC 6238). totp_last_step stops a code being used twice.
ALTER TABLE staff_users ADD
    totp_secret NVARCHAR(64) NULL,
    totp_enabled BIT NOT NULL CONSTRAINT df_staff_users_totp_enabled DEFAULT 0,
    totp_last_step BIGINT NULL;
GO
