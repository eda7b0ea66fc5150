// Postgres errors the application turns into answers rather than failures.

/** A unique constraint refused the row (SQLSTATE 23505): someone else holds that name, key or number. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505';
}
