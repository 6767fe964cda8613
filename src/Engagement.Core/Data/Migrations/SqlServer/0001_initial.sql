CREATE TABLE consultations (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    slug NVARCHAR(100) NOT NULL UNIQUE,
    title NVARCHAR(300) NOT NULL,
    summary NVARCHAR(MAX) NOT NULL DEFAULT '',
    opens_on DATETIME2 NOT NULL,
    closes_on DATETIME2 NOT NULL,
    status NVARCHAR(10) NOT NULL CHECK (status IN ('draft','open','closed')),
    created_at DATETIME2 NOT NULL
);

CREATE TABLE questions (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id),
    [key] NVARCHAR(100) NOT NULL,
    prompt NVARCHAR(1000) NOT NULL,
    outcome_id INT NULL,
    sort_order INT NOT NULL DEFAULT 0,
    CONSTRAINT ux_questions_key UNIQUE (consultation_id, [key])
);

CREATE TABLE themes (
    id NVARCHAR(100) PRIMARY KEY,
    name NVARCHAR(200) NOT NULL,
    outcome_id INT NOT NULL,
    description NVARCHAR(2000) NOT NULL DEFAULT '',
    example_phrases NVARCHAR(MAX) NOT NULL DEFAULT '',
    reasoning NVARCHAR(MAX) NULL,
    retired BIT NOT NULL DEFAULT 0,
    sort_order INT NOT NULL DEFAULT 0
);

CREATE TABLE submissions (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id),
    reference NVARCHAR(20) NOT NULL UNIQUE,
    respondent_type NVARCHAR(20) NOT NULL,
    organisation NVARCHAR(200) NULL,
    partner_type NVARCHAR(30) NULL,
    district NVARCHAR(10) NULL,
    channel NVARCHAR(20) NOT NULL,
    consent_to_quote BIT NOT NULL DEFAULT 0,
    age_band NVARCHAR(20) NULL,
    sex NVARCHAR(20) NULL,
    ethnic_group NVARCHAR(20) NULL,
    disability NVARCHAR(20) NULL,
    unpaid_carer NVARCHAR(20) NULL,
    idempotency_key NVARCHAR(64) NULL,
    source_ref NVARCHAR(200) NULL,
    submitted_at DATETIME2 NOT NULL,
    created_at DATETIME2 NOT NULL
);
CREATE INDEX ix_submissions_consultation ON submissions (consultation_id, id);
CREATE UNIQUE INDEX ux_submissions_idempotency ON submissions (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE UNIQUE INDEX ux_submissions_source ON submissions (consultation_id, source_ref) WHERE source_ref IS NOT NULL;

CREATE TABLE comments (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    submission_id BIGINT NOT NULL REFERENCES submissions(id),
    consultation_id BIGINT NOT NULL REFERENCES consultations(id),
    question_id BIGINT NULL REFERENCES questions(id),
    text NVARCHAR(MAX) NOT NULL,
    chosen_outcome INT NULL,
    suggested_outcome INT NULL,
    suggested_theme NVARCHAR(100) NULL,
    suggested_confidence FLOAT NULL,
    suggestion_needs_review BIT NOT NULL DEFAULT 0,
    suggestion_model_version NVARCHAR(100) NULL,
    confirmed_outcome INT NULL,
    confirmed_theme NVARCHAR(100) NULL,
    status NVARCHAR(10) NOT NULL DEFAULT 'new' CHECK (status IN ('new','triaged','spam','hidden')),
    district NVARCHAR(10) NULL,
    respondent_type NVARCHAR(20) NOT NULL,
    channel NVARCHAR(20) NOT NULL,
    created_at DATETIME2 NOT NULL,
    row_version INT NOT NULL DEFAULT 1
);
CREATE INDEX ix_comments_consultation ON comments (consultation_id, id);
CREATE INDEX ix_comments_status ON comments (consultation_id, status, id);
CREATE INDEX ix_comments_district ON comments (consultation_id, district, id);
CREATE INDEX ix_comments_outcome ON comments (consultation_id, suggested_outcome, id);
CREATE INDEX ix_comments_submission ON comments (submission_id);

CREATE TABLE staff_users (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    email NVARCHAR(254) NOT NULL,
    role NVARCHAR(30) NOT NULL,
    password_hash NVARCHAR(400) NOT NULL,
    failed_sign_ins INT NOT NULL DEFAULT 0,
    locked_until DATETIME2 NULL,
    disabled BIT NOT NULL DEFAULT 0,
    security_stamp NVARCHAR(64) NOT NULL,
    created_at DATETIME2 NOT NULL,
    last_sign_in_at DATETIME2 NULL
);
CREATE UNIQUE INDEX ux_staff_users_email ON staff_users (email);
