export { RoleMapper, type RoleChoice, type GrantReason, type DeniedGrant, type Explanation } from './mapper.js';
export { compileGlob } from './glob.js';
