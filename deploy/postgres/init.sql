-- One database per service's event store (no service reads another's
-- store), created on the PostgreSQL container's first start.
CREATE DATABASE pmo_projects OWNER pmo;
CREATE DATABASE pmo_resources OWNER pmo;
CREATE DATABASE pmo_risks OWNER pmo;
CREATE DATABASE pmo_configuration OWNER pmo;
CREATE DATABASE pmo_reporting OWNER pmo;
