/* sheaf: hands Pagefind's bundle to search.js.
   search.js adds this file as a <script type="module"> the first time a reader focuses a
   search box, so nothing of the bundle is fetched before that. The import is static: the
   bundle is always <base path>pagefind/, beside the theme's files, so this path is fixed and
   no theme script loads code from a URL computed at run time (budget.test.mjs bans dynamic
   import). Pagefind finds its own files (worker, wasm, index) from this import's URL. If the
   bundle is missing, the browser fires `error` on the <script>, and search.js says so. */
import * as pagefind from './pagefind/pagefind.js';

document.dispatchEvent(new CustomEvent('sheaf:pagefind', { detail: pagefind }));
