-- An expense's copy keeps the sequence of the event it holds (as items' copies do, 0007), so a late
-- or repeated older expense.recorded (at-least-once delivery, a replay) cannot undo a newer one, e.g.
-- bring back "uncategorised" after the category was set.
alter table expenses add column sequence numeric;
