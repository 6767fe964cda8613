-- ASP.NET Core Data Protection key ring (issue 7). Sign-in cookies and antiforgery tokens are encrypted with these keys,
-- so keeping them here (not in each process's memory or home folder) means a restart or a second web instance still
-- reads cookies and open forms issued before. Rows are only ever added: the framework rotates by adding a key and
-- revokes by adding a revocation element. The XML is the key itself: see docs/operations.md for who may read this table.
CREATE TABLE data_protection_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    friendly_name TEXT NOT NULL,
    xml TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_data_protection_keys_friendly_name ON data_protection_keys (friendly_name);
