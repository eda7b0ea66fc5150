// Department: a team with members and a queue; how its waiting conversations are handed out.
import { resolveArrayConnection } from '@pothos/plugin-relay';
import { auditSource, changedFields, recordChange } from '../audit/audit-source.ts';
import { inTenant, tenantViewer } from '../context.ts';
import { isUuid } from '../loaders.ts';
import {
  findDepartmentsByIds,
  insertDepartment,
  listDepartments,
  listMemberIds,
  setMembership,
  updateDepartment,
  type DepartmentRecord,
} from '../routing/department-repository.ts';
import { serveQueues } from '../routing/serve-queues.ts';
import { builder } from './builder.ts';
import { DEPARTMENTS } from './read-rules.ts';
import { COMMON_ERRORS, ConflictError, NotFoundError, ValidationError } from './errors.ts';
import { User } from './user.ts';
import { isUniqueViolation } from '@switchboard/db/errors';

export const Department = builder.objectRef<DepartmentRecord>('Department');

const Strategy = builder.enumType('AssignmentStrategy', {
  values: {
    ROUND_ROBIN: { value: 'round_robin', description: 'The member assigned longest ago goes next.' },
    BALANCED: { value: 'balanced', description: 'The member with the fewest open conversations goes next.' },
  } as const,
});

builder.node(Department, {
  authScopes: DEPARTMENTS,
  description: 'A team with its own queue of conversations.',
  id: { resolve: (d) => d.id },
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.departments.load(id)),
  fields: (t) => ({
    name: t.exposeString('name'),
    strategy: t.field({ type: Strategy, resolve: (d) => d.strategy }),
    autoAssign: t.exposeBoolean('autoAssign', { description: 'Hand waiting conversations to online members automatically.' }),
    isDefault: t.exposeBoolean('isDefault', { description: 'New conversations on numbers without a department land here.' }),
    members: t.field({
      type: [User],
      resolve: async (d, _args, ctx) => {
        const ids = await inTenant(ctx, (tx) => listMemberIds(tx, d.id));
        const users = await Promise.all(ids.map((m) => ctx.loaders.users.load(m.userId)));
        return users.filter((u) => u !== null);
      },
    }),
  }),
});

builder.queryField('departments', (t) =>
  t.connection({
    type: Department,
    authScopes: { role: 'agent', keyScope: 'read' },
    resolve: async (_root, args, ctx) => resolveArrayConnection({ args, defaultSize: 100, maxSize: 500 }, await inTenant(ctx, listDepartments)),
  }),
);

const departmentPayload = { types: COMMON_ERRORS, dataField: { name: 'department' } } as const;

function checkedName(name: string | null | undefined): string | undefined {
  if (name == null) return undefined;
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 80) throw new ValidationError('name', 'Department names need 1 to 80 characters.');
  return trimmed;
}

builder.mutationFields((t) => ({
  createDepartment: t.field({
    type: Department,
    authScopes: { role: 'admin', keyScope: 'admin' },
    errors: departmentPayload,
    args: {
      name: t.arg.string({ required: true }),
      strategy: t.arg({ type: Strategy, defaultValue: 'round_robin' }),
      autoAssign: t.arg.boolean({ defaultValue: true }),
      isDefault: t.arg.boolean({ defaultValue: false }),
    },
    resolve: async (_root, args, ctx) => {
      const name = checkedName(args.name)!;
      const department = await inTenant(ctx, async (tx) => {
        const settings = { strategy: args.strategy ?? 'round_robin', autoAssign: args.autoAssign ?? true, isDefault: !!args.isDefault };
        const inserted = await insertDepartment(tx, { name, ...settings });
        if (inserted) await recordChange(tx, auditSource(ctx), { action: 'department.created', target: { kind: 'department', id: inserted.id }, detail: settings });
        return inserted;
      });
      if (!department) throw new ConflictError('CONFLICT', 'A department with that name exists.');
      return department;
    },
  }),
  updateDepartment: t.field({
    type: Department,
    authScopes: { role: 'admin', keyScope: 'admin' },
    errors: departmentPayload,
    args: {
      id: t.arg.globalID({ required: true, for: Department }),
      name: t.arg.string(),
      strategy: t.arg({ type: Strategy }),
      autoAssign: t.arg.boolean(),
      isDefault: t.arg.boolean(),
    },
    resolve: async (_root, args, ctx) => {
      const id = args.id.id;
      const name = checkedName(args.name);
      const department = await inTenant(ctx, async (tx) => {
        const [before] = isUuid(id) ? await findDepartmentsByIds(tx, [id]) : [];
        if (!before) return null;
        const after = await updateDepartment(tx, id, {
          name,
          strategy: args.strategy ?? undefined,
          autoAssign: args.autoAssign ?? undefined,
          isDefault: args.isDefault ?? undefined,
        });
        if (!after) return null;
        const target = { kind: 'department', id };
        if (before.name !== after.name) await recordChange(tx, auditSource(ctx), { action: 'department.renamed', target });
        const settings = changedFields(before, after, ['strategy', 'autoAssign', 'isDefault']);
        if (Object.keys(settings).length > 0) await recordChange(tx, auditSource(ctx), { action: 'department.updated', target, detail: settings });
        return after;
      }).catch((error: unknown) => {
        if (isUniqueViolation(error)) throw new ConflictError('CONFLICT', 'A department with that name exists.');
        throw error;
      });
      if (!department) throw new NotFoundError('Department');
      if (department.autoAssign) await serveQueues(ctx.sql, tenantViewer(ctx).tenantId, [department.id]);
      return department;
    },
  }),
  setDepartmentMember: t.field({
    type: Department,
    description: 'Adds a person to a department (member: true) or removes them.',
    authScopes: { role: 'manager', keyScope: 'admin' },
    errors: departmentPayload,
    args: {
      departmentId: t.arg.globalID({ required: true, for: Department }),
      userId: t.arg.globalID({ required: true, for: User }),
      member: t.arg.boolean({ required: true }),
    },
    resolve: async (_root, args, ctx) => {
      const { departmentId, userId } = { departmentId: args.departmentId.id, userId: args.userId.id };
      const done = await inTenant(ctx, async (tx) => {
        const outcome = isUuid(departmentId) && isUuid(userId) ? await setMembership(tx, departmentId, userId, args.member) : null;
        if (!outcome) return false;
        if (outcome === 'unchanged') return true;
        const action = args.member ? 'department.member_added' : 'department.member_removed';
        await recordChange(tx, auditSource(ctx), { action, target: { kind: 'department', id: departmentId }, detail: { memberId: userId } });
        return true;
      });
      if (!done) throw new NotFoundError('Department or user');
      if (args.member) await serveQueues(ctx.sql, tenantViewer(ctx).tenantId, [args.departmentId.id]);
      const [department] = await inTenant(ctx, (tx) => findDepartmentsByIds(tx, [args.departmentId.id]));
      if (!department) throw new NotFoundError('Department');
      return department;
    },
  }),
}));
