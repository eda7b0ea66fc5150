// The dashboard renders in the browser only: its data needs the tab's key, which the server never sees.
export const ssr = false;
