-- Row-level security keeps non-LEAKPROOF operators from using an index ahead of the tenant policy, which would make
-- catalogue search (full text @@, trigram <% and %) scan every row. These operators only compare their arguments and raise
-- no data-dependent errors; marking them LEAKPROOF is a superuser step, done here once (./weedgo db up does it locally).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF;
ALTER FUNCTION similarity_op(text, text) LEAKPROOF;
ALTER FUNCTION word_similarity_op(text, text) LEAKPROOF;
ALTER FUNCTION word_similarity_commutator_op(text, text) LEAKPROOF;
