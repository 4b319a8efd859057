-- Categorization: the tenant's labelled lines per domain (e.g. 'expense', 'item'), the classifiers
-- trained on them (the naive Bayes model as JSON, with version and held-out accuracy), and every
-- answer given, with the classifier version that gave it.
create table examples (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  domain text not null,
  text text not null,
  label text not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
select erp.tenant_table('examples');
create index examples_domain on examples (tenant_id, domain);

create table classifiers (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  domain text not null,
  version integer not null,
  model jsonb not null,
  metrics jsonb not null,
  trained_by text not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, domain, version)
);
select erp.tenant_table('classifiers');

create table classifications (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  classifier_id uuid not null,
  classifier_version integer not null,
  domain text not null,
  text text not null,
  label text,
  confidence numeric not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
select erp.tenant_table('classifications');
