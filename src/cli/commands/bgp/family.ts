// The `-a FAMILY` argument of the bgp commands, read through the family table.
import { familyOfName } from '../../../api/bgp-convert.js';
import { FAMILIES, type FamilyName } from '../../../bgp/index.js';
import { UsageError } from '../../context.js';

export const FAMILY_HELP = FAMILIES.map((f) => f.name).join(' | ');

/** The family of a `-a` word, or a usage error naming --family. */
export function familyArg(text: string): FamilyName {
  const family = familyOfName(text);
  if (!family) throw new UsageError(`--family: unknown address family '${text}' (one of ${FAMILY_HELP})`);
  return family;
}
