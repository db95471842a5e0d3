// A stand-in for STS that checks nothing and answers every call with fixed credentials: the
// ceiling of the bridge's own credential path, with no signature verification anywhere but in
// the bridge. (The emulator, which verifies like RAM does, is the realistic figure.)
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const action = new URL(req.url, 'http://x').searchParams.get('Action') ?? '';
    const body = {
      RequestId: randomBytes(8).toString('hex'),
      Credentials: {
        AccessKeyId: 'STS.bench',
        AccessKeySecret: 'bench-secret',
        SecurityToken: 'bench-token',
        Expiration: new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      },
      AssumedRoleUser: { Arn: 'acs:ram::1111222233334444:role/bench/alice', AssumedRoleId: '3000:alice' },
      SAMLAssertionInfo: {
        SubjectType: 'persistent',
        Subject: 'alice',
        Recipient: 'https://signin.alibabacloud.com/saml-role/sso',
        Issuer: 'bench',
      },
      OIDCTokenInfo: { Issuer: 'bench', Subject: 'alice', ClientIds: 'sts.aliyuncs.com' },
      Action: action,
    };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ ready: true, url: `http://127.0.0.1:${server.address().port}` })}\n`);
});
process.once('SIGTERM', () => process.exit(0));
