-- Privacy (issue 7). A submission erased at the respondent's request, or by the retention purge, keeps its row and
-- reference (so the erasure can be confirmed and an import rerun does not bring it back) but loses everything personal.
ALTER TABLE submissions ADD
    erased_at DATETIME2 NULL,
    erased_reason NVARCHAR(40) NULL;
GO
CREATE INDEX ix_submissions_erased ON submissions (consultation_id, erased_at);
GO

-- How long responses are kept after the consultation closes. NULL = the site default (Privacy:DefaultRetentionMonths).
ALTER TABLE consultations ADD retention_months INT NULL;
GO
