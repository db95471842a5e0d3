/**
 * The two Alibaba Cloud sites differ in the SAML values RAM expects (docs/alibaba-cloud-reference.md §4 "Site-specific
 * values"). The emulator checks assertions against the real values, not against its own address:
 * the bridge mints exactly what production needs and only the POST target changes in the demo.
 */
export const SITES = {
  intl: {
    samlAudience: 'urn:alibaba:cloudcomputing:international',
    samlRecipient: 'https://signin.alibabacloud.com/saml-role/sso',
  },
  cn: {
    samlAudience: 'urn:alibaba:cloudcomputing',
    samlRecipient: 'https://signin.aliyun.com/saml-role/sso',
  },
} as const;

export type SiteName = keyof typeof SITES;
export type Site = (typeof SITES)[SiteName];
