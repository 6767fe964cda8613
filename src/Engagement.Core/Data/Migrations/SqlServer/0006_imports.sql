-- Bulk imports (issue 6). One row per uploaded or command-line file and consultation. file_hash (SHA-256 of the bytes)
-- recognises a file already imported. Rows land in batches; each submission's source_ref is 'import:<hash>:<line>'
-- and unique per consultation (ux_submissions_source), so a rerun after a crash skips what was committed and adds the rest.
CREATE TABLE imports (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id),
    file_name NVARCHAR(260) NOT NULL,
    file_hash NVARCHAR(64) NOT NULL,
    file_size BIGINT NOT NULL DEFAULT 0,
    format NVARCHAR(100) NOT NULL DEFAULT '',
    sheet NVARCHAR(100) NULL,
    mapping NVARCHAR(MAX) NULL,
    status NVARCHAR(20) NOT NULL CHECK (status IN ('uploaded','queued','running','completed','failed','cancelled')),
    rows_read INT NOT NULL DEFAULT 0,
    valid_rows INT NOT NULL DEFAULT 0,
    rejected_rows INT NOT NULL DEFAULT 0,
    imported_rows INT NOT NULL DEFAULT 0,
    classified_rows INT NOT NULL DEFAULT 0,
    message NVARCHAR(2000) NULL,
    created_by NVARCHAR(254) NULL,
    created_at DATETIME2 NOT NULL,
    started_at DATETIME2 NULL,
    completed_at DATETIME2 NULL
);
CREATE INDEX ix_imports_hash ON imports (consultation_id, file_hash);
CREATE INDEX ix_imports_status ON imports (status, id);

-- The uploaded bytes, kept until the import completes or is abandoned, so a background job or a restart can finish it.
CREATE TABLE import_files (
    import_id BIGINT PRIMARY KEY REFERENCES imports(id),
    content VARBINARY(MAX) NOT NULL
);

ALTER TABLE submissions ADD import_id BIGINT NULL REFERENCES imports(id);
ALTER TABLE submissions ADD event_name NVARCHAR(200) NULL;
GO
CREATE INDEX ix_submissions_import ON submissions (import_id) WHERE import_id IS NOT NULL;
