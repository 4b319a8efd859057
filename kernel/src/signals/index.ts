export { type KernelSignal, KernelSignals } from './kernel-signals.js';
