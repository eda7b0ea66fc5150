// `./switchboard dev`'s database step: migrate, then seed the demo — a tenant with the public dev partner
// key, people and an operator with the dev password, and the application role's dev password. The demo
// goes only into the embedded database, or into DATABASE_URL's when --seed-demo says so: on a database
// of your own, its known secrets would be a way in, and the app role's password stays yours.
import { connect } from '../db/src/connect.ts';
import { appRoleUrl, migrate, setAppRolePassword } from '../db/src/migrate.ts';
import { seedTenant } from '../db/src/seed.ts';
import { seedDemoOperator, seedDemoPeople } from '../api/src/tenants/demo-seed.ts';

export interface DevDatabase {
  /** Migration versions applied now. */
  applied: number[];
  /** The demo tenant, when the demo was seeded. */
  demoTenantId: string | null;
  /** Where the api connects: APP_DATABASE_URL, or the app role on the owner's server with APP_DB_PASSWORD. */
  appUrl: string;
}

export async function prepareDevDatabase({
  ownerUrl,
  embedded,
  seedDemo = false,
  env,
}: {
  ownerUrl: string;
  embedded: boolean;
  seedDemo?: boolean;
  env: Readonly<Record<string, string | undefined>>;
}): Promise<DevDatabase> {
  const setting = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set (see .env.example)`);
    return value;
  };
  const owner = connect(ownerUrl, { max: 2, applicationName: 'switchboard-dev' });
  try {
    const applied = await migrate(owner);
    const appUrl = env.APP_DATABASE_URL || appRoleUrl(ownerUrl, setting('APP_DB_PASSWORD'));
    if (!embedded && !seedDemo) return { applied, demoTenantId: null, appUrl };
    await setAppRolePassword(owner, setting('APP_DB_PASSWORD'));
    const demo = await seedTenant(owner, {
      name: env.DEV_TENANT_NAME ?? 'Demo tenant',
      wabaId: setting('DEV_WABA_ID'),
      phoneNumberId: setting('DEV_PHONE_NUMBER_ID'),
      displayPhoneNumber: setting('DEV_DISPLAY_PHONE_NUMBER'),
      apiKey: setting('DEV_API_KEY'),
    });
    await seedDemoPeople(owner, {
      tenantId: demo.tenantId,
      wabaId: setting('DEV_WABA_ID'),
      accessToken: setting('DEV_META_ACCESS_TOKEN'),
      vaultKey: setting('VAULT_KEY'),
      adminEmail: setting('DEV_ADMIN_EMAIL'),
      agentEmail: setting('DEV_AGENT_EMAIL'),
      password: setting('DEV_USER_PASSWORD'),
    });
    await seedDemoOperator(owner, { email: setting('DEV_OPERATOR_EMAIL'), password: setting('DEV_USER_PASSWORD') });
    return { applied, demoTenantId: demo.tenantId, appUrl };
  } finally {
    await owner.end();
  }
}
