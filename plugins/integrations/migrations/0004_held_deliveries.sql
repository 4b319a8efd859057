-- Events for a disabled endpoint are held, not dropped: a held delivery (status pending, held)
-- waits for the endpoint to be enabled again (then it is sent, in event order), or expires after
-- the tenant's retention window: it becomes a dead letter whose last_error records why. The queue
-- is bounded per endpoint: what does not fit is counted in held_dropped, shown with the endpoint,
-- so the loss is visible. (Migrations are additive: a flag, not a new status value.)
alter table deliveries add column held boolean not null default false;
alter table endpoints add column held_dropped integer not null default 0;
create index deliveries_held on deliveries (tenant_id, endpoint_id) where held;
