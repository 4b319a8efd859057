-- Issue 14 (session 6). Warehouses refuses deliveries of expired lots from its own copy of the
-- lot's dates, sent by lots.dated events; the version orders those events, since the bus delivers
-- them in any order: a lot's dates change (first arrival, correction by hand) under the row lock,
-- and each change takes the next number. A move out learnt before its lot's first arrival is
-- flagged (learnt_early) and stamped once the arrival brings the dates.
alter table lots add column dates_version integer not null default 0;
alter table tracked_moves add column learnt_early boolean not null default false;
