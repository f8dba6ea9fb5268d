-- Every start of a gateway node, so an operator can see restarts (and crash-restarts) in one place.
CREATE TABLE gateway_start (
    id          BIGSERIAL PRIMARY KEY,
    node        TEXT        NOT NULL,
    version     TEXT        NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
