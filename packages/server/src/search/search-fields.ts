/**
 * What the search box searches — the one list. Per class: the String fields indexed, each with its weight
 * (A for a name, B for how one reaches it, C for descriptive fields, D for free text), and how a hit is
 * labelled. Fields missing from a class (an older schema, or one an admin removed) are skipped by the index.
 */
import type { SearchField } from '../storage/adapter.js';

export interface SearchableClass {
  className: string;
  fields: readonly SearchField[];
  /** The field naming the object in a result list. */
  titleField: string;
  /** Fields tried in order for the second line of a result. */
  subtitleFields: readonly string[];
}

export const SEARCHABLE_CLASSES: readonly SearchableClass[] = [
  {
    className: 'Contact',
    fields: [
      { field: 'name', weight: 'A' },
      { field: 'email', weight: 'B' },
      { field: 'phone', weight: 'B' },
      { field: 'notes', weight: 'D' },
    ],
    titleField: 'name',
    subtitleFields: ['email', 'phone'],
  },
  {
    className: 'Company',
    fields: [
      { field: 'name', weight: 'A' },
      { field: 'website', weight: 'B' },
      { field: 'industry', weight: 'C' },
      { field: 'address', weight: 'C' },
      { field: 'notes', weight: 'D' },
    ],
    titleField: 'name',
    subtitleFields: ['industry', 'website'],
  },
  {
    className: 'Deal',
    fields: [
      { field: 'title', weight: 'A' },
      { field: 'stage', weight: 'C' },
      { field: 'notes', weight: 'D' },
    ],
    titleField: 'title',
    subtitleFields: ['stage'],
  },
];

export const SEARCHABLE_CLASS_NAMES: readonly string[] = SEARCHABLE_CLASSES.map((c) => c.className);

export const searchableClass = (className: string): SearchableClass | undefined =>
  SEARCHABLE_CLASSES.find((c) => c.className === className);
