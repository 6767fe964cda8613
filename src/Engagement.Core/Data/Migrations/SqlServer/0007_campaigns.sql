-- Exact and near-duplicate comments grouped by the detector; 3+ respondents makes a campaign, counted once in reports.
-- status: suggested (by the detector, replaced on every run), confirmed (a person agreed), split (a person changed the
-- membership or dissolved it). Reviewed groups survive re-detection and only gain new matching comments.
CREATE TABLE duplicate_groups (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id),
    status NVARCHAR(10) NOT NULL CHECK (status IN ('suggested','confirmed','split')),
    name NVARCHAR(300) NULL,
    representative_comment_id BIGINT NULL REFERENCES comments(id),
    representative_text NVARCHAR(MAX) NOT NULL,
    all_exact BIT NOT NULL DEFAULT 0,
    detected_at DATETIME2 NOT NULL,
    reviewed_by NVARCHAR(254) NULL,
    reviewed_at DATETIME2 NULL
);
CREATE INDEX ix_duplicate_groups_consultation ON duplicate_groups (consultation_id, status, id);

-- removed = 1: a person took the comment out of the group; it is never grouped again by the detector.
CREATE TABLE duplicate_group_members (
    group_id BIGINT NOT NULL REFERENCES duplicate_groups(id),
    comment_id BIGINT NOT NULL REFERENCES comments(id),
    removed BIT NOT NULL DEFAULT 0,
    removed_by NVARCHAR(254) NULL,
    removed_at DATETIME2 NULL,
    PRIMARY KEY (group_id, comment_id)
);
CREATE INDEX ix_duplicate_group_members_comment ON duplicate_group_members (comment_id, removed);
