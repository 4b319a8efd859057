// The multi-tenant test kernel lives in the SDK; the name the suites use stays.
export {
  type PluginKernel as RunningKernel,
  startPluginKernel as startKernel,
  type Tenant,
} from '@erp/plugin-testkit';
