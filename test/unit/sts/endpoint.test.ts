import { resolveStsEndpoint } from '../../../src/sts/endpoint.js';

describe('resolveStsEndpoint', () => {
  it('derives global, regional and VPC endpoints over https', () => {
    expect(resolveStsEndpoint({})).toEqual({ endpoint: 'sts.aliyuncs.com', protocol: 'https' });
    expect(resolveStsEndpoint({ regionId: 'ap-southeast-1' })).toEqual({ endpoint: 'sts.ap-southeast-1.aliyuncs.com', protocol: 'https' });
    expect(resolveStsEndpoint({ regionId: 'cn-hangzhou', vpc: true })).toEqual({
      endpoint: 'sts-vpc.cn-hangzhou.aliyuncs.com',
      protocol: 'https',
    });
  });

  it('takes an explicit host, plain http only for loopback', () => {
    expect(resolveStsEndpoint({ endpoint: '127.0.0.1:9090', protocol: 'http' })).toEqual({ endpoint: '127.0.0.1:9090', protocol: 'http' });
    expect(() => resolveStsEndpoint({ endpoint: 'sts.example.internal:80', protocol: 'http' })).toThrow(TypeError);
    expect(() => resolveStsEndpoint({ endpoint: 'https://sts.aliyuncs.com' })).toThrow(/without a scheme/);
    expect(() => resolveStsEndpoint({ vpc: true })).toThrow(/needs a regionId/);
  });
});
