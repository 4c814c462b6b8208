-- The role the web app runs as (first start of the database volume only; `./weedgo db up` does the same for the local
-- cluster): not the tables' owner and without BYPASSRLS, so PostgreSQL's row-level security applies to it. The owner
-- (POSTGRES_USER) runs the migrations, which grant this role its rights on every table.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'weedgo_app') THEN
    CREATE ROLE weedgo_app LOGIN PASSWORD 'weedgo' NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
END $$;
