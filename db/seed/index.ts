import { count, eq, inArray, sql } from "drizzle-orm";
import { audit } from "~/modules/audit/service.server";
import { hashPassword } from "~/modules/auth/password.server";
import { nameInitials } from "~/modules/organization/rules";
import { todayInShanghai } from "~/utils/dates";
import type { Database } from "../client";
import { cadres, unitMemberships, units, userRoles, users } from "../schema";
import { seedDemoAccountability } from "./accountability";
import { seedDemoAttendance } from "./attendance";
import { seedDemoClasses } from "./classes";
import { demoCity } from "./demo-city";
import { seedDemoDigests } from "./digest";
import { seedDemoFrontline } from "./frontline";
import { seedDemoRankings } from "./rankings";
import { seedDemoRatings } from "./ratings";
import { seedDemoShortlists } from "./shortlists";

export const DEMO_PASSWORD = "luoshi-demo";
export const DEMO_ACCOUNTS = {
  admin: "admin@luoshi.local",
  head: "head@luoshi.local",
  cadre: "cadre@luoshi.local",
  systemAdmin: "sysadmin@luoshi.local",
  securityAdmin: "secadmin@luoshi.local",
  auditAdmin: "auditor@luoshi.local",
} as const;

/** The three separated duties (三员分立), one IT account each, not cadres of the city. */
const DEMO_STAFF = [
  { email: DEMO_ACCOUNTS.systemAdmin, displayName: "周建国（系统管理员）", role: "system_admin" },
  { email: DEMO_ACCOUNTS.securityAdmin, displayName: "吴海燕（安全管理员）", role: "security_admin" },
  { email: DEMO_ACCOUNTS.auditAdmin, displayName: "郑丽（审计管理员）", role: "audit_admin" },
] as const;

/** Seeds the demo city when the database has no units; returns what it did, or null. */
export async function seedIfEmpty(db: Database, options: { demoAccounts: boolean; log?: (s: string) => void }) {
  const [existing] = await db.select({ n: count() }).from(units);
  if ((existing?.n ?? 0) > 0) return null;
  const started = Date.now();
  const result = await seedDemoCity(db, options);
  return `Seeded the demo city: ${result.units} units, ${result.cadres} cadres in ${Date.now() - started} ms`;
}

export async function seedDemoCity(db: Database, options: { demoAccounts: boolean }) {
  const city = demoCity();
  const demoHash = options.demoAccounts ? await hashPassword(DEMO_PASSWORD) : null;
  return db.transaction(async (tx) => {
    // Lock out a second server seeding the same empty database at the same moment.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('luoshi:seed'))`);
    const [again] = await tx.select({ n: count() }).from(units);
    if ((again?.n ?? 0) > 0) return { units: 0, cadres: 0 };

    const unitIds = new Map<string, number>();
    for (const u of city.units) {
      const [row] = await tx
        .insert(units)
        .values({
          code: u.code,
          name: u.name,
          kind: u.kind,
          parentId: u.parentCode ? unitIds.get(u.parentCode)! : null,
          ranked: u.ranked ?? null,
        })
        .returning({ id: units.id });
      unitIds.set(u.code, row!.id);
    }
    const cadreIds = new Map<string, number>();
    for (let i = 0; i < city.cadres.length; i += 500) {
      const chunk = city.cadres.slice(i, i + 500);
      const rows = await tx
        .insert(cadres)
        .values(
          chunk.map((c) => ({
            staffNo: c.staffNo,
            name: c.name,
            nameInitials: nameInitials(c.name),
            unitId: unitIds.get(c.unitCode)!,
            rank: c.rank,
            title: c.title,
            email: c.email,
            phone: c.phone,
            gender: c.roster.gender,
            ethnicity: c.roster.ethnicity,
            birthDate: c.roster.birthDate,
            nativePlace: c.roster.nativePlace,
            politicalStatus: c.roster.politicalStatus,
            education: c.roster.education,
            degree: c.roster.degree,
            workStartDate: c.roster.workStartDate,
            rankSince: c.roster.rankSince,
            postSince: c.roster.postSince,
          })),
        )
        .returning({ id: cadres.id, staffNo: cadres.staffNo, unitId: cadres.unitId });
      for (const r of rows) cadreIds.set(r.staffNo, r.id);
      await tx.insert(unitMemberships).values(rows.map((r) => ({ cadreId: r.id, unitId: r.unitId, startDate: null })));
      // Every cadre gets an account, disabled until the organization department opens it.
      await tx.insert(users).values(rows.map((r) => ({ cadreId: r.id, disabled: true })));
    }
    for (const c of city.cadres.filter((c) => c.isHead)) {
      await tx
        .update(units)
        .set({ headCadreId: cadreIds.get(c.staffNo)! })
        .where(eq(units.id, unitIds.get(c.unitCode)!));
    }

    if (demoHash) {
      // The demo accounts are real cadres of the demo city: an organization department official, the
      // head of the education bureau (which has sub-units) and one of that bureau's deputy heads.
      const orgDept = city.units.find((u) => u.name === "市委组织部")!;
      const education = city.units.find((u) => u.name === "市教育和体育局")!;
      const adminCadre = city.cadres.find((c) => c.unitCode === orgDept.code && !c.isHead)!;
      const headCadre = city.cadres.find((c) => c.unitCode === education.code && c.isHead)!;
      const plainCadre = city.cadres.find((c) => c.unitCode === education.code && !c.isHead && c.rank === "deputy_section")!;
      const demo = [
        [adminCadre, DEMO_ACCOUNTS.admin],
        [headCadre, DEMO_ACCOUNTS.head],
        [plainCadre, DEMO_ACCOUNTS.cadre],
      ] as const;
      for (const [cadre, email] of demo) {
        const id = cadreIds.get(cadre.staffNo)!;
        await tx.update(cadres).set({ email }).where(eq(cadres.id, id));
        // demoPassword: the README's demo password is a documented exception to the password policy that
        // only the demo seed makes (never expires, never asked to change); every real password is checked.
        await tx.update(users).set({ passwordHash: demoHash, disabled: false, demoPassword: true }).where(eq(users.cadreId, id));
      }
      const [admin] = await tx
        .select({ id: users.id })
        .from(users)
        .where(inArray(users.cadreId, [cadreIds.get(adminCadre.staffNo)!]));
      await tx.insert(userRoles).values([{ userId: admin!.id, role: "org_admin" }]);
      for (const staff of DEMO_STAFF) {
        const [account] = await tx
          .insert(users)
          .values({ email: staff.email, displayName: staff.displayName, passwordHash: demoHash, disabled: false, demoPassword: true })
          .returning({ id: users.id });
        await tx.insert(userRoles).values({ userId: account!.id, role: staff.role });
      }
    }
    await seedDemoFrontline(tx, city, { today: todayInShanghai() });
    await seedDemoClasses(tx, city, { now: new Date(), demoAccounts: Boolean(demoHash) });
    await seedDemoAttendance(tx, { now: new Date() });
    // Before the rankings: the quarter's satisfaction counts the public ratings.
    await seedDemoRatings(tx, { now: new Date() });
    const rankings = await seedDemoRankings(tx, city, { now: new Date() });
    await seedDemoAccountability(tx, { now: new Date(), published: rankings.published });
    await seedDemoShortlists(tx, { now: new Date() });
    // Last: the digest reads everything above.
    await seedDemoDigests(tx, { now: new Date() });
    await audit(
      tx,
      { userId: null, label: "seed" },
      {
        action: "seed.demo_city",
        entityType: "organization",
        after: { units: city.units.length, cadres: city.cadres.length, demoAccounts: Boolean(demoHash) },
      },
    );
    return { units: city.units.length, cadres: city.cadres.length };
  });
}
