// The plugin's UI module (erp.ui.module): defines <warehouses-stock-on-hand> and <warehouses-move-ledger>.
import './stock-on-hand.js';
import './move-ledger.js';
