// The plugin's UI module: stock on hand, the move ledger, the forms to receive, issue and
// transfer stock, and the setup page for items, warehouses and locations. Each file defines its
// custom element.
import './stock-on-hand.js';
import './move-ledger.js';
import './forms/receive.js';
import './forms/issue.js';
import './forms/transfer.js';
import './setup/index.js';
