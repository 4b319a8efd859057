// The person field of the rate forms: a picker of the tenant's users when the signed-in user may
// read them (the kernel's user list), else the user's id typed in. Either way the server judges it.
import type { Field } from './form.js';
import type { Person } from './types.js';

export function personField(people: Person[] | undefined, pointer: string, required = false): Field {
  if (!people)
    return {
      key: 'userId',
      label: 'Person',
      pointer,
      hint: 'the user’s id (a UUID)',
      ...(required ? { required } : {}),
    };
  return {
    key: 'userId',
    label: 'Person',
    pointer,
    type: 'select',
    options: people.map((p) => ({
      value: p.id,
      label: p.displayName ? `${p.displayName} (${p.email})` : p.email,
    })),
    ...(required ? { required } : {}),
  };
}

/** How a rate's subject reads in a list. */
export const personLabel = (people: Person[] | undefined, userId: string) =>
  people?.find((p) => p.id === userId)?.email ?? userId;
