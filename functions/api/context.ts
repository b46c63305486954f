import type { Principal } from '../../shared/auth/principal.js';

export interface AppEnv {
  Variables: { principal: Principal | undefined };
}
