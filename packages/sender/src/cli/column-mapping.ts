// Which field each CSV column fills: a mapping file's entry first, then the header's own name (case, spaces, `_`,
// `-` and `.` ignored). A column that names no field is ignored, with a suggestion when its name is a common
// synonym or a close spelling of a field — suggested, never applied, because a wrong guess would put data in the
// wrong field of a practice's central records. A file whose required fields lack a column is refused before
// anything is sent. The mapping file's format is in docs/sender.md.
import fs from 'node:fs/promises';
import { RECORD_TYPES, type RecordType } from '../contract.generated.ts';
import { columnKey, suggestTarget, type Suggestion } from './column-synonyms.ts';

/** What a column fills: a field of the record, a part of a contact's client links, or of an address's owner. */
export type Target =
  | { kind: 'field'; field: string }
  | { kind: 'link-refs' }
  | { kind: 'link-roles' }
  | { kind: 'numbered'; n: number; part: 'ref' | 'role' }
  | { kind: 'owner'; part: 'type' | 'ref' };

/** The plain fields of each type, in the order a record is built (so the same row always gives the same JSON). */
export const CSV_FIELDS: Record<RecordType, string[]> = {
  clients: ['ref', 'clientReference', 'name', 'clientType', 'companyNumber', 'vatNumber', 'utr', 'email', 'phone', 'website'],
  contacts: ['ref', 'title', 'firstName', 'lastName', 'email', 'phone', 'dateOfBirth', 'niNumber'],
  addresses: ['ref', 'kind', 'line1', 'line2', 'town', 'county', 'postcode', 'country', 'from', 'to'],
};
const LINK_AND_OWNER: Record<RecordType, string[]> = {
  clients: [],
  contacts: ['clientRefs', 'roles'],
  addresses: ['ownerType', 'ownerRef'],
};
const NUMBERED_LINK = /^client(\d+)(ref|role)$/;

/** Every named target of a type (numbered links aside), as written in a mapping file. */
export const targetsOf = (type: RecordType) => [...CSV_FIELDS[type], ...LINK_AND_OWNER[type]];

export function parseTarget(type: RecordType, name: string): Target | null {
  const k = columnKey(name);
  const field = CSV_FIELDS[type].find((f) => columnKey(f) === k);
  if (field) return { kind: 'field', field };
  if (type === 'contacts') {
    if (k === 'clientrefs') return { kind: 'link-refs' };
    if (k === 'roles' || k === 'clientroles') return { kind: 'link-roles' };
    const numbered = NUMBERED_LINK.exec(k);
    if (numbered && Number(numbered[1]) >= 1) return { kind: 'numbered', n: Number(numbered[1]), part: numbered[2] as 'ref' | 'role' };
  }
  if (type === 'addresses' && (k === 'ownertype' || k === 'ownerref')) return { kind: 'owner', part: k === 'ownertype' ? 'type' : 'ref' };
  return null;
}

export function targetName(target: Target): string {
  switch (target.kind) {
    case 'field':
      return target.field;
    case 'link-refs':
      return 'clientRefs';
    case 'link-roles':
      return 'roles';
    case 'numbered':
      return `client${target.n}${target.part === 'ref' ? 'Ref' : 'Role'}`;
    case 'owner':
      return target.part === 'type' ? 'ownerType' : 'ownerRef';
  }
}

interface Requirement {
  /** How the problem names it. */
  label: string;
  /** The target a suggestion for it would fill. */
  target: string;
  met: (targets: Target[]) => boolean;
}
const field = (name: string): Requirement => ({
  label: name,
  target: name,
  met: (ts) => ts.some((t) => t.kind === 'field' && t.field === name),
});
const linkPart = (part: 'ref' | 'role'): Requirement => ({
  label: part === 'ref' ? "the clients' refs (clientRefs, or client1Ref …)" : "the clients' roles (roles, or client1Role …)",
  target: part === 'ref' ? 'clientRefs' : 'roles',
  met: (ts) => ts.some((t) => t.kind === (part === 'ref' ? 'link-refs' : 'link-roles') || (t.kind === 'numbered' && t.part === part)),
});
const ownerPart = (part: 'type' | 'ref'): Requirement => ({
  label: part === 'type' ? 'ownerType' : 'ownerRef',
  target: part === 'type' ? 'ownerType' : 'ownerRef',
  met: (ts) => ts.some((t) => t.kind === 'owner' && t.part === part),
});
/** SPEC §4's required fields, as columns. */
const REQUIRED: Record<RecordType, Requirement[]> = {
  clients: ['ref', 'clientReference', 'name', 'clientType'].map(field),
  contacts: [field('ref'), field('lastName'), linkPart('ref'), linkPart('role')],
  addresses: [field('ref'), ownerPart('type'), ownerPart('ref'), ...['line1', 'town', 'postcode', 'from'].map(field)],
};

// ---------------------------------------------------------------------------------------------------------------
// The mapping file: one per export, `{"clients": {"<header>": "<target>" | null}, "contacts": …, "addresses": …}`.

export type ColumnMapping = Partial<Record<RecordType, Record<string, string | null>>>;

/** The mapping file read and checked, or the sentence saying why it cannot be used. */
export async function readMappingFile(file: string): Promise<{ ok: true; mapping: ColumnMapping } | { ok: false; problem: string }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message;
    return { ok: false, problem: `The mapping file ${file} cannot be read: ${why}.` };
  }
  const shape = `an object like {"clients": {"Company Name": "name"}}, with a header-to-field object per record type`;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    return { ok: false, problem: `The mapping file ${file} is not ${shape}.` };
  const mapping: ColumnMapping = {};
  for (const [type, columns] of Object.entries(parsed)) {
    if (!(RECORD_TYPES as readonly string[]).includes(type)) {
      return { ok: false, problem: `The mapping file ${file} names '${type}', which is not a record type (clients, contacts, addresses).` };
    }
    const entries = columns && typeof columns === 'object' && !Array.isArray(columns) ? Object.entries(columns as object) : null;
    if (!entries || entries.some(([, v]) => v !== null && typeof v !== 'string')) {
      return { ok: false, problem: `The mapping file ${file}: '${type}' must map each header to a field name or null (${shape}).` };
    }
    mapping[type as RecordType] = Object.fromEntries(entries as [string, string | null][]);
  }
  return { ok: true, mapping };
}

/** A mapping file's text: every type's columns in header order, two-space indented. */
export const formatMappingFile = (mapping: ColumnMapping) => `${JSON.stringify(mapping, null, 2)}\n`;

// ---------------------------------------------------------------------------------------------------------------

export interface ColumnPlan {
  column: string;
  /** What it fills when the file is read; null: ignored. */
  target: Target | null;
  /**
   * matched: by its own name; mapped: by the mapping file; ignored: mapped to null; invalid: mapped to a name that
   * is no target (`mappedTo`); unknown: names no field.
   */
  how: 'matched' | 'mapped' | 'ignored' | 'invalid' | 'unknown';
  mappedTo?: string;
  /** For an unknown column: the field it probably is. */
  suggestion: Suggestion | null;
}

export interface CsvPlan {
  columns: ColumnPlan[];
  /** Reasons the file cannot be sent, one sentence each. */
  problems: string[];
  warnings: string[];
}

/** How `header` of `fileName` (a file of `type`) is read, given the export's mapping file (if any). */
export function planColumns(
  type: RecordType,
  fileName: string,
  header: string[],
  mapping: ColumnMapping = {},
  mappingName = 'the mapping file',
): CsvPlan {
  const problems: string[] = [];
  const warnings: string[] = [];
  const entries = new Map(Object.entries(mapping[type] ?? {}).map(([column, to]) => [columnKey(column), { column, to }]));
  const headerKeys = new Set(header.map(columnKey));
  for (const { column } of entries.values()) {
    if (!headerKeys.has(columnKey(column)))
      warnings.push(`${mappingName} maps column '${column}' of ${type}, which ${fileName} does not have.`);
  }

  const columns: ColumnPlan[] = header.map((column) => {
    const entry = entries.get(columnKey(column));
    if (entry?.to === null) return { column, target: null, how: 'ignored', suggestion: null };
    if (entry) {
      const target = parseTarget(type, entry.to);
      if (target) return { column, target, how: 'mapped', suggestion: null };
      problems.push(
        `${mappingName} maps '${column}' to '${entry.to}', which is not a column of ${type} (one of ${targetsOf(type).join(', ')}${type === 'contacts' ? ', client1Ref, client1Role …' : ''}).`,
      );
      return { column, target: null, how: 'invalid', mappedTo: entry.to, suggestion: null };
    }
    const target = parseTarget(type, column);
    return target ? { column, target, how: 'matched', suggestion: null } : { column, target: null, how: 'unknown', suggestion: null };
  });

  const byTarget = new Map<string, string[]>();
  for (const c of columns) if (c.target) byTarget.set(targetName(c.target), [...(byTarget.get(targetName(c.target)) ?? []), c.column]);
  for (const [name, cols] of byTarget) {
    if (cols.length > 1)
      problems.push(`${fileName}: columns ${cols.map((c) => `'${c}'`).join(' and ')} all fill ${name}; map all but one to null.`);
  }
  const targets = columns.flatMap((c) => (c.target ? [c.target] : []));
  if (targets.some((t) => t.kind === 'numbered') && targets.some((t) => t.kind === 'link-refs' || t.kind === 'link-roles')) {
    problems.push(
      `${fileName}: give contacts' clients either as client_refs/roles lists or as client1_ref, client1_role … columns, not both.`,
    );
  }

  suggest(type, columns, new Set(byTarget.keys()));
  const missing = REQUIRED[type].filter((r) => !r.met(targets));
  const suggestedFor = (target: string) => columns.find((c) => c.suggestion?.target === target);
  if (missing.length === REQUIRED[type].length && !missing.some((r) => suggestedFor(r.target))) {
    problems.push(
      `${fileName} has no column for any required field of ${type} (${missing.map((r) => r.label).join(', ')}); its header reads ${header.map((c) => `'${c}'`).join(', ')}.`,
    );
  } else {
    for (const r of missing) {
      const likely = suggestedFor(r.target);
      problems.push(`${fileName} has no column for ${r.label}, which is required${likely ? ` ('${likely.column}' looks like it)` : ''}.`);
    }
  }
  for (const c of columns) {
    if (c.how !== 'unknown' || (c.suggestion && missing.some((r) => r.target === c.suggestion!.target))) continue;
    warnings.push(
      `${fileName}: column '${c.column}' is not a field of ${type}; it is ignored${c.suggestion ? ` (it looks like ${c.suggestion.target}: map it in ${mappingName})` : ''}.`,
    );
  }
  return { columns, problems, warnings };
}

/** Fills in the suggestions of unknown columns; a target still without a column goes to the closest of them. */
function suggest(type: RecordType, columns: ColumnPlan[], taken: Set<string>): void {
  const free = targetsOf(type).filter((t) => !taken.has(t));
  const candidates = columns.filter((c) => c.how === 'unknown');
  for (const c of candidates) c.suggestion = suggestTarget(type, c.column, free);
  const best = new Map<string, ColumnPlan>();
  for (const c of candidates) {
    if (!c.suggestion) continue;
    const held = best.get(c.suggestion.target);
    if (held && held.suggestion!.distance <= c.suggestion.distance) c.suggestion = null;
    else {
      if (held) held.suggestion = null;
      best.set(c.suggestion.target, c);
    }
  }
}

/** The starter mapping of a file: the mapping file's entries, the matched columns, suggestions, and null for the rest. */
export const starterColumns = (plan: CsvPlan): Record<string, string | null> =>
  Object.fromEntries(plan.columns.map((c) => [c.column, c.target ? targetName(c.target) : (c.mappedTo ?? c.suggestion?.target ?? null)]));
