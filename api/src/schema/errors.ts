// Expected failures a caller can cause, as typed results (Pothos errors plugin): a mutation returns
// either its success payload or one of these, each with a stable `code` the dashboard can show.
// Anything else is unexpected and masked by Yoga.
import { builder } from './builder.ts';
import { CALLER } from './read-rules.ts';
import { TenantClosedError } from './read-only-when-closed.ts';
import { TwoFactorEnrolmentRequiredError } from './enrolment-first.ts';

export class UserError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export class ValidationError extends UserError {
  readonly field: string;
  constructor(field: string, message: string) {
    super('INVALID_INPUT', message);
    this.field = field;
  }
}
export class NotFoundError extends UserError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} was not found.`);
  }
}
export class ConflictError extends UserError {}

/** A domain function's answer: its value, or a failure with the code the schema turns into a typed error. */
export type DomainResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string; field?: string };

/** The value, or the typed error: INVALID_INPUT → ValidationError, NOT_FOUND → NotFoundError (of `what`), else ConflictError. */
export function unwrap<T>(result: DomainResult<T>, what: string): T {
  if (result.ok) return result.value;
  if (result.code === 'INVALID_INPUT') throw new ValidationError(result.field ?? 'input', result.message);
  if (result.code === 'NOT_FOUND') throw new NotFoundError(what);
  throw new ConflictError(result.code, result.message);
}
export class InvalidCredentialsError extends UserError {
  constructor() {
    super('INVALID_CREDENTIALS', 'The email address or password is wrong.');
  }
}
export class TooManyAttemptsError extends UserError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super('TOO_MANY_ATTEMPTS', `Too many failed sign-in attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
/** The password was right and the person has two-factor sign-in on: ask again with `otp`. */
export class OtpRequiredError extends UserError {
  constructor() {
    super('OTP_REQUIRED', 'Enter the 6-digit code from your authenticator app, or one of your recovery codes.');
  }
}
/** A second factor that is wrong, expired or already used (a code's step, or a recovery code). */
export class InvalidOtpError extends UserError {
  constructor() {
    super('INVALID_OTP', 'The code is wrong, expired or was already used.');
  }
}
export class InvalidInvitationError extends UserError {
  constructor() {
    super('INVALID_INVITATION', 'This invitation link does not work: it was used, replaced by a newer one, or has expired. Ask an admin for a new one.');
  }
}
/** A rule of WhatsApp or of the business stops this message from being sent. */
export class SendRefusedError extends UserError {}
export class TemplateParameterError extends UserError {
  readonly parameter: string | null;
  constructor(parameter: string | null, message: string) {
    super('TEMPLATE_PARAMETERS', message);
    this.parameter = parameter;
  }
}

/** One step of connecting a WhatsApp number failed at Meta; `step` names it, `message` carries Meta's words. */
export class OnboardingStepError extends UserError {
  readonly step: 'exchange_code' | 'fetch_number' | 'subscribe_app' | 'register_number';
  readonly metaCode: number | null;
  constructor(step: OnboardingStepError['step'], metaCode: number | null, message: string) {
    super('ONBOARDING_STEP_FAILED', message);
    this.step = step;
    this.metaCode = metaCode;
  }
}

export const ErrorInterface = builder.interfaceRef<UserError>('Error').implement({
  description: 'A failure the caller can act on. `code` is stable; `message` is readable English.',
  fields: (t) => ({ code: t.exposeString('code'), message: t.exposeString('message') }),
});

const interfaces = [ErrorInterface];

builder.objectType(UserError, { name: 'BaseError', description: 'A failure without further detail.', interfaces, authScopes: CALLER });
builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'An input value is not acceptable.',
  interfaces,
  authScopes: CALLER,
  fields: (t) => ({ field: t.exposeString('field', { description: 'The input field at fault.' }) }),
});
builder.objectType(NotFoundError, { name: 'NotFoundError', description: 'The thing referred to does not exist or is not visible to you.', interfaces, authScopes: CALLER });
builder.objectType(ConflictError, {
  name: 'ConflictError',
  description: 'The change conflicts with the current state (a taken email, the last admin…).',
  interfaces,
  authScopes: CALLER,
});
builder.objectType(TenantClosedError, {
  name: 'TenantClosedError',
  description: 'The tenant is closed: it is read-only until it is purged. Admins can still export everything (exportTenant).',
  interfaces,
  authScopes: CALLER,
});
builder.objectType(TwoFactorEnrolmentRequiredError, {
  name: 'TwoFactorEnrolmentRequiredError',
  description:
    'The tenant requires two-factor sign-in and you have not set it up: nothing can be changed until you do (startTotpEnrolment, confirmTotpEnrolment). Reading keeps working.',
  interfaces,
  authScopes: CALLER,
});
builder.objectType(InvalidCredentialsError, { name: 'InvalidCredentialsError', description: 'Sign-in failed.', interfaces, authScopes: CALLER });
builder.objectType(TooManyAttemptsError, {
  name: 'TooManyAttemptsError',
  description: 'Sign-in is paused after repeated failures.',
  interfaces,
  authScopes: CALLER,
  fields: (t) => ({ retryAfterSeconds: t.exposeInt('retryAfterSeconds') }),
});
builder.objectType(OtpRequiredError, {
  name: 'OtpRequiredError',
  description: 'The password was right; this person signs in with a second factor too. Send logIn again with `otp`: a 6-digit code or a recovery code.',
  interfaces,
  authScopes: CALLER,
});
builder.objectType(InvalidOtpError, {
  name: 'InvalidOtpError',
  description: 'The code is wrong, outside its 30-second window, or already used (a recovery code works once). Counts in the sign-in pause where it signs in.',
  interfaces,
  authScopes: CALLER,
});
builder.objectType(InvalidInvitationError, {
  name: 'InvalidInvitationError',
  description: 'The invitation link is unknown, used, replaced by a newer one, or expired.',
  interfaces,
  authScopes: CALLER,
});
builder.objectType(SendRefusedError, {
  name: 'SendRefusedError',
  description:
    'The message was not sent. codes: WINDOW_CLOSED (outside the 24-hour window: use a template), CONTACT_OPTED_OUT, ' +
    'CONTACT_RESTRICTED, CONSENT_WITHDRAWN (only replies to what the customer writes afterwards), MARKETING_OPTED_OUT, ' +
    'NO_OPT_IN (a template to a customer with no recorded opt-in), NUMBER_DISCONNECTED, NUMBER_NEEDS_REAUTHORISATION, ' +
    'TEMPLATE_NOT_APPROVED.',
  interfaces,
  authScopes: CALLER,
});
builder.objectType(TemplateParameterError, {
  name: 'TemplateParameterError',
  description: 'Template parameters do not match the template.',
  interfaces,
  authScopes: CALLER,
  fields: (t) => ({ parameter: t.exposeString('parameter', { nullable: true }) }),
});

const OnboardingStep = builder.enumType('OnboardingStep', {
  values: {
    EXCHANGE_CODE: { value: 'exchange_code', description: 'Trading the Embedded Signup code for a business token.' },
    FETCH_NUMBER: { value: 'fetch_number', description: 'Reading the number from the WhatsApp Business Account.' },
    SUBSCRIBE_APP: { value: 'subscribe_app', description: "Subscribing the app to the account's webhooks." },
    REGISTER_NUMBER: { value: 'register_number', description: 'Registering the number for the Cloud API with its PIN.' },
  } as const,
});
builder.objectType(OnboardingStepError, {
  name: 'OnboardingStepError',
  description: 'Connecting a number stopped at one step because Meta refused it. Fix the cause and run it again.',
  interfaces,
  authScopes: CALLER,
  fields: (t) => ({
    step: t.field({ type: OnboardingStep, resolve: (e) => e.step }),
    metaCode: t.exposeInt('metaCode', { nullable: true, description: "Meta's error code, when Meta gave one." }),
  }),
});

/** Every mutation may fail with these besides its own. */
export const COMMON_ERRORS = [ValidationError, NotFoundError, ConflictError];
