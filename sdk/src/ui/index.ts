// @erp/sdk/ui: the shell↔plugin element contract (contract.ts, unchanged) and the small helpers
// every plugin UI needs, so the platform's plugins, the scaffold and third parties build their
// elements the same way: a lit base element that receives the context, an API call that turns
// problem+json into words, a table and a labelled form field. lit and @lit/context are the SDK's
// only browser dependencies (about 7 KB gzipped together, bundled into each plugin's module).

export { ApiProblem, type CallOptions, callApi, type FieldProblem } from './api.js';
export { erpContext } from './context.js';
export type { ErpApiFetch, ErpElement, ErpUiContext, ErpUiTheme } from './contract.js';
export { ERP_UI_CONTEXT } from './contract.js';
export { ErpPluginElement } from './element.js';
export { type FieldOptions, fieldErrorText, formField } from './field.js';
export { erpStyles } from './styles.js';
export { type Column, dataTable } from './table.js';
