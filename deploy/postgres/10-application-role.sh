#!/bin/sh
# Creates the database role the application connects as (IOM_APP_DB_ROLE, iom_app in
# docker-compose.yml). The postgres image runs this from /docker-entrypoint-initdb.d when it
# starts on an empty data volume. The role owns nothing and gets no table privileges here:
# the migrate service grants them after each migration (manage.py grant_app_role), with only
# SELECT and INSERT on the audit log.
#
# Safe to run again, e.g. on a volume created before this script existed, or to change the
# password:
#   docker compose exec db sh /docker-entrypoint-initdb.d/10-application-role.sh
set -eu
: "${IOM_APP_DB_ROLE:?Set IOM_APP_DB_ROLE}" "${IOM_APP_DB_PASSWORD:?Set IOM_APP_DB_PASSWORD}"

psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet \
    --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v role="$IOM_APP_DB_ROLE" -v password="$IOM_APP_DB_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I', :'role')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    PASSWORD :'password';
-- Nobody but the owner creates objects in the schema (already so from PostgreSQL 15).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
