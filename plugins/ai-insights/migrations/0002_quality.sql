-- Feedback on anomalies: a user's verdict on a flagged record (a warehouses move). Kept, and used
-- by the detector: confirmed records leave the baseline, dismissed ones are not flagged again and
-- widen what counts as normal for their item and feature.
create table anomaly_feedback (
  tenant_id uuid not null default erp.current_tenant(),
  record_id uuid not null,
  verdict text not null check (verdict in ('confirmed', 'dismissed')),
  note text,
  decided_by uuid,
  decided_at timestamptz not null default now(),
  primary key (tenant_id, record_id)
);
select erp.tenant_table('anomaly_feedback');
