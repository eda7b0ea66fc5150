// The dashboard renders in the browser only: who is signed in is known from the session cookie, which
// belongs to the api's origin, so the page server could not tell.
export const ssr = false;
