// The plugin's UI module: the timesheet (timer and week) and the approval queue.
import './timesheet.js';
import './approval-queue.js';
