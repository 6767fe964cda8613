-- Two-factor secrets are now stored encrypted with Data Protection (TotpSecretProtector): about 180 characters
-- instead of a 32-character base32 secret.
ALTER TABLE staff_users ALTER COLUMN totp_secret NVARCHAR(400) NULL;
GO
