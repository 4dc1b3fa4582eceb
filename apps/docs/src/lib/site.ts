/**
 * Where the site is published. Canonical URLs, hreflang alternates, OpenGraph URLs and the sitemap
 * are made from it.
 */
export const SITE_URL = 'https://regtrail.dev';
