export { CHROMIUM, hasChromium, launch, mount } from '@erp/plugin-testkit';
