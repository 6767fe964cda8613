-- Privacy (issue 7). A submission erased at the respondent's request, or by the retention purge, keeps its row and
-- reference (so the erasure can be confirmed and an import rerun does not bring it back) but loses everything personal.
ALTER TABLE submissions ADD COLUMN erased_at TEXT NULL;
ALTER TABLE submissions ADD COLUMN erased_reason TEXT NULL;
CREATE INDEX ix_submissions_erased ON submissions (consultation_id, erased_at);

-- How long responses are kept after the consultation closes. NULL = the site default (Privacy:DefaultRetentionMonths).
ALTER TABLE consultations ADD COLUMN retention_months INTEGER NULL;
