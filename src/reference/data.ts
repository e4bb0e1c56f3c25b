// Loads the licensing reference data shipped in data/ (Microsoft's SKU and service-plan table,
// the curated service families and plan rules). Every row is checked with zod so a broken data
// file fails loudly at start-up instead of producing wrong preflight answers later. A leaf: the
// license service and the sandbox both read it, and it imports neither.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { GUID_RE } from '../guid';

export const DATA_DIR = join(__dirname, '..', '..', '..', 'data');

const guid = z.string().regex(GUID_RE);

const SkuRow = z.object({
  product_name: z.string().min(1),
  sku_part_number: z.string().min(1),
  sku_id: guid,
  service_plan_name: z.string().min(1),
  service_plan_id: guid,
  service_plan_friendly_name: z.string(),
});
const FamilyRow = z.object({
  family: z.string().min(1),
  tier: z.coerce.number().int(),
  service_plan_name: z.string().min(1),
  service_plan_id: guid,
  service_plan_friendly_name: z.string(),
});
const AliasRow = z.object({
  sku_id: guid,
  sku_part_number: z.string().min(1),
  product_name_in_skus_csv: z.string(),
  other_spellings_published_by_microsoft: z.string(),
});
const PlanRules = z.object({
  mutuallyExclusive: z.array(z.object({ service: z.string(), plans: z.array(z.string().min(1)).min(2) })),
  dependencies: z.array(z.object({ plan: z.string().min(1), requiresAnyOf: z.array(z.string().min(1)).min(1) })),
  coexist: z.array(z.object({ skus: z.array(z.string().min(1)).min(1), source: z.string().optional() })).optional(),
});

export interface ServicePlan {
  id: string;
  name: string;
  friendlyName: string;
}
export interface ReferenceSku {
  skuId: string;
  skuPartNumber: string;
  productName: string;
  otherNames: string[];
  servicePlans: ServicePlan[];
}
export interface ServiceFamilyEntry {
  family: string;
  tier: number;
  planName: string;
  planId: string;
  friendlyName: string;
}
export interface MutuallyExclusiveRule {
  service: string;
  plans: string[];
}
export interface DependencyRule {
  plan: string;
  requiresAnyOf: string[];
}
export interface PlanRuleSet {
  mutuallyExclusive: MutuallyExclusiveRule[];
  dependencies: DependencyRule[];
  /** SKUs (part numbers) whose plans take no part in the mutually exclusive sets (Teams Enterprise beside a "(no Teams)" suite). */
  coexist?: { skus: string[]; source?: string }[];
}

/** The skuIds (lower case) of the rules' `coexist` SKUs, as far as the reference table knows them. */
export function coexistSkuIds(ref: Pick<ReferenceData, 'rules' | 'skusByPartNumber'>): Set<string> {
  const out = new Set<string>();
  for (const c of ref.rules.coexist ?? [])
    for (const part of c.skus) {
      const s = ref.skusByPartNumber.get(part.toUpperCase());
      if (s) out.add(s.skuId.toLowerCase());
    }
  return out;
}

export interface ReferenceData {
  /** By skuId (lower case). */
  skusById: Map<string, ReferenceSku>;
  /** By skuPartNumber (upper case). Where a part number names two skuIds the first row wins. */
  skusByPartNumber: Map<string, ReferenceSku>;
  /** Service plans by id (lower case) and by name (upper case). */
  plansById: Map<string, ServicePlan>;
  plansByName: Map<string, ServicePlan>;
  /** Service family of a plan, by plan name (upper case). */
  familyByPlanName: Map<string, ServiceFamilyEntry>;
  rules: PlanRuleSet;
}

/** RFC 4180 CSV: quoted fields, doubled quotes, commas and newlines inside quotes. */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...body] = rows;
  if (!header) return [];
  const names = header.map((h) => h.replace(/^\uFEFF/, '').trim());
  return body.map((cells) => Object.fromEntries(names.map((n, i) => [n, cells[i] ?? ''])));
}

function checkRows<T>(file: string, rows: Record<string, string>[], schema: z.ZodType<T>): T[] {
  const out: T[] = [];
  const problems: string[] = [];
  rows.forEach((row, i) => {
    const parsed = schema.safeParse(row);
    if (parsed.success) out.push(parsed.data);
    else problems.push(`${file} row ${i + 2}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
  });
  if (problems.length) throw new Error(`Reference data is invalid:\n${problems.slice(0, 20).join('\n')}`);
  return out;
}

export function loadReferenceData(dir: string = DATA_DIR): ReferenceData {
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  const skuRows = checkRows('skus.csv', parseCsv(read('skus.csv')), SkuRow);
  const familyRows = checkRows('service_families.csv', parseCsv(read('service_families.csv')), FamilyRow);
  const aliasRows = checkRows('product_name_aliases.csv', parseCsv(read('product_name_aliases.csv')), AliasRow);
  const rulesParsed = PlanRules.safeParse(JSON.parse(read('plan-rules.json')));
  if (!rulesParsed.success) throw new Error(`Reference data is invalid: plan-rules.json: ${rulesParsed.error.message}`);

  const skusById = new Map<string, ReferenceSku>();
  const skusByPartNumber = new Map<string, ReferenceSku>();
  const plansById = new Map<string, ServicePlan>();
  const plansByName = new Map<string, ServicePlan>();
  for (const r of skuRows) {
    const id = r.sku_id.toLowerCase();
    let sku = skusById.get(id);
    if (!sku) {
      sku = { skuId: id, skuPartNumber: r.sku_part_number, productName: r.product_name, otherNames: [], servicePlans: [] };
      skusById.set(id, sku);
      if (!skusByPartNumber.has(r.sku_part_number.toUpperCase())) skusByPartNumber.set(r.sku_part_number.toUpperCase(), sku);
    }
    const plan: ServicePlan = { id: r.service_plan_id.toLowerCase(), name: r.service_plan_name, friendlyName: r.service_plan_friendly_name };
    if (!sku.servicePlans.some((p) => p.id === plan.id)) sku.servicePlans.push(plan);
    if (!plansById.has(plan.id)) plansById.set(plan.id, plan);
    if (!plansByName.has(plan.name.toUpperCase())) plansByName.set(plan.name.toUpperCase(), plan);
  }
  for (const a of aliasRows) {
    const sku = skusById.get(a.sku_id.toLowerCase());
    if (sku && a.other_spellings_published_by_microsoft)
      sku.otherNames.push(
        ...a.other_spellings_published_by_microsoft
          .split(';')
          .map((s) => s.trim())
          .filter(Boolean),
      );
  }
  const familyByPlanName = new Map<string, ServiceFamilyEntry>();
  for (const f of familyRows) {
    familyByPlanName.set(f.service_plan_name.toUpperCase(), {
      family: f.family,
      tier: f.tier,
      planName: f.service_plan_name,
      planId: f.service_plan_id.toLowerCase(),
      friendlyName: f.service_plan_friendly_name,
    });
  }
  return { skusById, skusByPartNumber, plansById, plansByName, familyByPlanName, rules: rulesParsed.data };
}

let cached: ReferenceData | undefined;
/** The project's reference data, loaded once per process. */
export function referenceData(): ReferenceData {
  cached ??= loadReferenceData();
  return cached;
}
