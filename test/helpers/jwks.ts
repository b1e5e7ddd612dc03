/** A local JWKS with one key, and a signer for tokens by that key (or another). */
export async function startJwks() {
  const { createServer } = await import('node:http');
  const { exportJWK, generateKeyPair, SignJWT } = await import('jose');
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const other = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/jwks.json`;
  /** `expires` as jose takes it ('5m', '10s ago'), or null for a token without exp. */
  const sign = (claims: Record<string, unknown>, opts: { key?: 'ours' | 'other'; expires?: string | null } = {}) => {
    const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer('https://idp.example.com').setAudience('pai-graph').setSubject('alice').setIssuedAt('1m ago');
    if (opts.expires !== null) jwt.setExpirationTime(opts.expires ?? '5m');
    return jwt.sign(opts.key === 'other' ? other.privateKey : privateKey);
  };
  return { url, sign, close: () => server.close() };
}
