-- A participant's own rate limit (token bucket), overriding the gateway's default: a province's
-- bureau may need more than a county hospital. NULL means the default (GatewayConfig.rateLimit).
ALTER TABLE participant
    ADD COLUMN rate_limit_per_second double precision CHECK (rate_limit_per_second > 0),
    ADD COLUMN rate_limit_burst integer CHECK (rate_limit_burst >= 1),
    ADD CONSTRAINT participant_rate_limit_both CHECK ((rate_limit_per_second IS NULL) = (rate_limit_burst IS NULL));
