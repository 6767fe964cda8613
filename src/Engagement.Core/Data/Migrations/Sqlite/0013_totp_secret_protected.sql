-- Two-factor secrets are now stored encrypted with Data Protection (TotpSecretProtector). SQLite TEXT has no length
-- limit, so nothing changes here; the script exists so both databases share one migration list.
SELECT 1;
