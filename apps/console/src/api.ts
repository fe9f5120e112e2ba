import { tokenStore } from '@serendip/app-kit';
import { SerendipClient } from '@serendip/client';

/** The signed-in admin's bearer token, under a key of its own (tokenStore). */
export const session = tokenStore('serendip.console.token');

/** The gateway, through the console's own origin (server/serve.ts proxies /graphql). */
export const client = new SerendipClient({ url: new URL('/graphql', window.location.href).href, token: session.token });
