// The active UI language. One language today; choosing among several (and right-to-left layouts) comes later.
import { en, type Messages } from './en.ts';

export const locale = 'en';
export const direction: 'ltr' | 'rtl' = 'ltr';
export const t: Messages = en;
