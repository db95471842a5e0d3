import { AlibabaError } from '../../../src/emulator/errors.js';
import { policyDocumentSchema, type PolicyDocument } from '../../../src/emulator/policy.js';
import { effectivePermissions, parseSessionPolicy } from '../../../src/emulator/session-policy.js';
import { TrustPolicy, trustPolicySchema } from '../../../src/emulator/trust-policy.js';

const policy = (...statements: object[]): PolicyDocument => policyDocumentSchema.parse({ Version: '1', Statement: statements });
const allow = (Action: string | string[], Resource: string | string[] = '*') => ({ Effect: 'Allow', Action, Resource });
const trust = (...statements: object[]) => new TrustPolicy(trustPolicySchema.parse({ Version: '1', Statement: statements }));

describe('effective permissions (role policies ∩ session policy)', () => {
  const readonly = policy(allow(['ecs:Describe*', 'oss:Get*', 'oss:List*']));

  it('without a session policy are the role policies', () => {
    const p = effectivePermissions([readonly]);
    expect(p.allows('ecs:DescribeInstances', 'acs:ecs:*:*:instance/i-1')).toBe(true);
    expect(p.allows('ecs:DeleteInstance', '*')).toBe(false);
  });

  it('keep the narrower side of each overlapping pair', () => {
    const p = effectivePermissions([policy(allow('*'))], policy(allow('oss:GetObject', 'acs:oss:*:*:bucket/logs/*')));
    expect(p.toDocument().Statement).toEqual([{ Effect: 'Allow', Action: ['oss:GetObject'], Resource: ['acs:oss:*:*:bucket/logs/*'] }]);
    expect(p.allows('oss:getobject', 'acs:oss:*:*:bucket/logs/2026/01.gz')).toBe(true); // actions are case-insensitive
    expect(p.allows('oss:GetObject', 'acs:oss:*:*:bucket/secrets/key')).toBe(false);
  });

  it('never grant what the role does not, however broad the session policy', () => {
    const p = effectivePermissions([readonly], policy(allow('*')));
    expect(p.allows('ecs:DescribeInstances', '*')).toBe(true);
    expect(p.allows('ecs:RunInstances', '*')).toBe(false);
  });

  it('drop pairs where neither pattern covers the other (narrower than the real service, never broader)', () => {
    const p = effectivePermissions([policy(allow('ecs:Describe*'))], policy(allow('ecs:*Instances')));
    expect(p.toDocument().Statement).toEqual([]);
  });

  it('apply a Deny from either side, and ignore a conditional Allow', () => {
    const p = effectivePermissions(
      [policy(allow('oss:*'), { ...allow('ecs:*'), Condition: { IpAddress: { 'acs:SourceIp': '10.0.0.0/8' } } })],
      policy(allow('*'), { Effect: 'Deny', Action: 'oss:DeleteObject', Resource: '*' }),
    );
    expect(p.allows('oss:GetObject', '*')).toBe(true);
    expect(p.allows('oss:DeleteObject', '*')).toBe(false);
    expect(p.allows('ecs:DescribeInstances', '*')).toBe(false);
  });
});

describe('parseSessionPolicy', () => {
  const code = (text: string) => {
    try {
      parseSessionPolicy(text);
    } catch (err) {
      return (err as AlibabaError).code;
    }
    return 'accepted';
  };

  it('accepts the policy grammar and refuses anything else with the documented codes', () => {
    expect(code(JSON.stringify(policy(allow('ecs:Describe*'))))).toBe('accepted');
    expect(code('{"Version":"1","Statement":[{"Effect":"Allow","NotAction":"ecs:*","Resource":"*"}]}')).toBe(
      'InvalidParameter.PolicyGrammar',
    );
    expect(code('{"Version":"2","Statement":[]}')).toBe('InvalidParameter.PolicyGrammar');
    expect(code('not json')).toBe('InvalidParameter.PolicyGrammar');
    expect(code(' '.repeat(2049))).toBe('InvalidParameter.PolicySize');
  });
});

describe('trust policies', () => {
  const saml = 'acs:ram::1111222233334444:saml-provider/idp';
  const recipient = 'https://signin.alibabacloud.com/saml-role/sso';

  it('admit a federated principal only when every condition holds', () => {
    const t = trust({
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Principal: { Federated: saml },
      Condition: { StringEquals: { 'saml:recipient': recipient } },
    });
    expect(t.allows({ federated: saml, context: { 'saml:recipient': [recipient] } })).toBe(true);
    expect(t.allows({ federated: saml, context: { 'saml:recipient': ['https://signin.aliyun.com/saml-role/sso'] } })).toBe(false);
    expect(t.allows({ federated: saml, context: {} })).toBe(false);
    expect(t.allows({ federated: 'acs:ram::1111222233334444:saml-provider/other', context: { 'saml:recipient': [recipient] } })).toBe(
      false,
    );
  });

  it('match StringLike wildcards and any of several values', () => {
    const t = trust({
      Effect: 'Allow',
      Action: 'sts:*',
      Principal: { Federated: 'acs:ram::1111222233334444:oidc-provider/op' },
      Condition: { StringEquals: { 'oidc:aud': ['a', 'b'] }, StringLike: { 'oidc:sub': 'repo:org/*:ref:main' } },
    });
    const federated = 'acs:ram::1111222233334444:oidc-provider/op';
    expect(t.allows({ federated, context: { 'oidc:aud': ['x', 'b'], 'oidc:sub': ['repo:org/app:ref:main'] } })).toBe(true);
    expect(t.allows({ federated, context: { 'oidc:aud': ['b'], 'oidc:sub': ['repo:org/app:ref:dev'] } })).toBe(false);
  });

  it('let a Deny win over an Allow, and name RAM principals exactly', () => {
    const user = 'acs:ram::1111222233334444:user/ci';
    const t = trust(
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: 'acs:ram::1111222233334444:root' } },
      { Effect: 'Deny', Action: 'sts:AssumeRole', Principal: { RAM: user } },
    );
    expect(t.allows({ ram: ['acs:ram::1111222233334444:user/other', 'acs:ram::1111222233334444:root'], context: {} })).toBe(true);
    expect(t.allows({ ram: [user, 'acs:ram::1111222233334444:root'], context: {} })).toBe(false);
    expect(t.allows({ ram: ['acs:ram::5555666677778888:root'], context: {} })).toBe(false);
  });
});
