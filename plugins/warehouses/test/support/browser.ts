export { CHROMIUM, hasChromium, launch, mount } from '@erp/sdk/testing';
