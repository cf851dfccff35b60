// A real OpenID Connect provider (node's oidc-provider) for the single sign-on tests.
//
// Started by tests/sso/conftest.py with, in the environment:
//   PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, ACCOUNTS (JSON: login -> {email, email_verified})
// Its login page is oidc-provider's own development form (any password): the login names
// the account. POST /__test__/mode/<mode> makes the next ID tokens wrong on purpose, signed
// with the provider's real key: "wrong-audience", "expired", or "normal".
import http from 'node:http';

import * as jose from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(process.env.ACCOUNTS);
const KEY_ID = 'test-signing-key';

const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const signingJwk = { ...(await jose.exportJWK(privateKey)), kid: KEY_ID, alg: 'RS256', use: 'sig' };

let mode = 'normal';

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: [process.env.REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  jwks: { keys: [signingJwk] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  findAccount(ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return {
      accountId: id,
      claims: () => ({ sub: id, ...account }),
    };
  },
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => false },
  cookies: { keys: ['only-for-tests'] },
});

// The token endpoint's answer, with its ID token re-signed with changed claims.
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== '/token' || ctx.status !== 200 || mode === 'normal' || !ctx.body?.id_token) {
    return;
  }
  const claims = jose.decodeJwt(ctx.body.id_token);
  if (mode === 'wrong-audience') claims.aud = 'another-application';
  if (mode === 'expired') {
    const now = Math.floor(Date.now() / 1000);
    claims.iat = now - 7200;
    claims.exp = now - 3600;
  }
  ctx.body = {
    ...ctx.body,
    id_token: await new jose.SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: KEY_ID })
      .sign(privateKey),
  };
});

const handle = provider.callback();
http
  .createServer((req, res) => {
    const control = req.url.match(/^\/__test__\/mode\/([a-z-]+)$/);
    if (control && req.method === 'POST') {
      mode = control[1];
      res.writeHead(204).end();
      return;
    }
    handle(req, res);
  })
  .listen(port, '127.0.0.1', () => console.log(`ready ${issuer}`));
