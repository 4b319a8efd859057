export { KERNEL_SIGNAL_CHANNEL, type KernelSignal, KernelSignals } from './kernel-signals.js';
