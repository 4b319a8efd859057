// The plugin's UI module: stock on hand, the move ledger (with its cancel action), the forms to
// receive, issue, transfer, repack and reconcile stock, and the setup page for items, warehouses
// and locations. Each file defines its custom element.
import './stock-on-hand.js';
import './move-ledger.js';
import './forms/receive.js';
import './forms/issue.js';
import './forms/transfer.js';
import './forms/repack.js';
import './forms/reconcile.js';
import './setup/index.js';
