-- Every district a response named, in the order given (import rows may list several, e.g. "SW;T"). submissions.district keeps the first.
CREATE TABLE submission_districts (
    submission_id BIGINT NOT NULL REFERENCES submissions(id),
    district NVARCHAR(10) NOT NULL,
    position INT NOT NULL DEFAULT 0,
    CONSTRAINT pk_submission_districts PRIMARY KEY (submission_id, district)
);

-- Strategy authors' edits to report points. Versioned: every save is a new row; the highest version per point wins.
-- A point is keyed by its anchor comment (the lowest comment id it covered) and remembers every comment id it covered,
-- so the edit finds its point again when the report is regenerated with new comments.
CREATE TABLE report_point_edits (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id),
    point_key NVARCHAR(40) NOT NULL,
    version INT NOT NULL,
    wording NVARCHAR(2000) NULL,
    hidden BIT NOT NULL DEFAULT 0,
    sort_order INT NULL,
    merged_into NVARCHAR(40) NULL,
    comment_ids NVARCHAR(MAX) NOT NULL,
    edited_by NVARCHAR(254) NOT NULL,
    edited_at DATETIME2 NOT NULL,
    CONSTRAINT ux_report_point_edits UNIQUE (consultation_id, point_key, version)
);
