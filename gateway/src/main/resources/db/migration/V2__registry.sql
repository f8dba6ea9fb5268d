-- Participants, their keys, and city products with their co-insurance bodies.
CREATE TABLE participant (
    code          TEXT PRIMARY KEY CHECK (code ~ '^[A-Z0-9][A-Z0-9._-]{1,63}$'),
    role          TEXT NOT NULL CHECK (role IN ('BUREAU', 'HOSPITAL', 'PHARMACY', 'INSURER', 'PLATFORM')),
    admdvs        CHAR(6) NOT NULL CHECK (admdvs ~ '^[0-9]{6}$'),
    display_name  TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'SUSPENDED')),
    -- host:port of the participant's RecipientService (push and pass-through); NULL = inbox only.
    endpoint      TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE participant_key (
    participant_code TEXT NOT NULL REFERENCES participant(code),
    key_id           TEXT NOT NULL CHECK (key_id ~ '^[0-9a-f]{32}$'),
    cipher_suite     TEXT NOT NULL,
    public_key       BYTEA NOT NULL,          -- DER SubjectPublicKeyInfo
    not_before       TIMESTAMPTZ NOT NULL,
    not_after        TIMESTAMPTZ NOT NULL,
    status           TEXT NOT NULL DEFAULT 'ENABLED' CHECK (status IN ('ENABLED', 'REVOKED')),
    is_primary       BOOLEAN NOT NULL DEFAULT false,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (participant_code, key_id),
    CHECK (not_before < not_after)
);
-- At most one primary key per participant.
CREATE UNIQUE INDEX participant_key_one_primary ON participant_key(participant_code) WHERE is_primary;

CREATE TABLE product (
    code          TEXT PRIMARY KEY,
    admdvs        CHAR(6) NOT NULL CHECK (admdvs ~ '^[0-9]{6}$'),
    lead_insurer  TEXT NOT NULL REFERENCES participant(code),
    term_start    DATE NOT NULL,
    term_end      DATE NOT NULL,
    CHECK (term_start <= term_end)
);

CREATE TABLE product_member (
    product_code  TEXT NOT NULL REFERENCES product(code),
    insurer_code  TEXT NOT NULL REFERENCES participant(code),
    share_bp      INTEGER NOT NULL CHECK (share_bp BETWEEN 1 AND 10000),
    PRIMARY KEY (product_code, insurer_code)
);
