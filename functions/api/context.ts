import type { Principal } from '../../shared/auth/principal.js';
import type { Lang } from '../../shared/i18n/texts.js';

export interface AppEnv {
  Variables: {
    principal: Principal | undefined;
    /** Pages only: the signed-in session's token, passed on to the JSON routes the page calls. */
    sessionToken?: string;
    /** Pages only: the language the page is written in. */
    lang: Lang;
    /** Pages only: the CSRF token every form of the page carries. */
    csrf: string;
  };
}
