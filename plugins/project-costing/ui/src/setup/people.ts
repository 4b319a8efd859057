// How a cost rate's person reads in a list: their email when the page could read the user list.
import type { Person } from './types.js';

export const personLabel = (people: Person[] | undefined, userId: string) =>
  people?.find((p) => p.id === userId)?.email ?? userId;
