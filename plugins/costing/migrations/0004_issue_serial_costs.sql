-- Issue 14, serials that move together again: an issue of several serials keeps each serial's
-- cost when it left ({"S1": "10", "S3": "14"}), so the transfer in of that line, or a customer
-- return of its serials, brings each serial back at its own cost instead of the line's cost shared
-- per unit. Null for every other issue (a batch, one serial, other methods). Additive only.
alter table issue_costs add column serial_costs jsonb;
