-- Issue 14. An issue document may name the project it is for (project costing reads it from
-- stock.issued); a posted document can be cancelled, which posts one reversing move per move
-- (the ledger stays append-only) and records the cancellation once; a document's purpose tells
-- a cancel, a repack and a stock reconciliation (count with a rate) apart from plain adjustments,
-- since the kind check of 0002 cannot be relaxed by an additive migration.

alter table documents add column project_id uuid;
alter table documents add column purpose text
  check (purpose in ('cancel', 'repack', 'reconciliation'));
alter table documents add column additional_cost numeric check (additional_cost >= 0);

alter table moves add column cancels_move_id uuid;
create unique index moves_cancels on moves (tenant_id, cancels_move_id) where cancels_move_id is not null;

-- One row per cancelled document: the primary key makes a second (or concurrent) cancel fail.
create table cancellations (
  tenant_id uuid not null default erp.current_tenant(),
  document_id uuid not null,
  cancel_document_id uuid not null,
  reason text,
  cancelled_by uuid,
  cancelled_at timestamptz not null default now(),
  primary key (tenant_id, document_id),
  foreign key (tenant_id, document_id) references documents (tenant_id, id),
  foreign key (tenant_id, cancel_document_id) references documents (tenant_id, id)
);
select erp.tenant_table('cancellations');
