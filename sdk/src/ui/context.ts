// The @lit/context object for ERP_UI_CONTEXT. Built from the plain string key, so it matches the
// shell's provider even when the plugin bundle carries its own copy of @lit/context.
import { createContext } from '@lit/context';
import { ERP_UI_CONTEXT, type ErpUiContext } from './contract.js';

export const erpContext = createContext<ErpUiContext>(ERP_UI_CONTEXT);
