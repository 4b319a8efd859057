// Cost rates, people's roles and exchange rates as the engines take them.
export * from './store.js';
