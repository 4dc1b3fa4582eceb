import { allTranslations, tFor } from './locales';

/**
 * The site's pages in sidebar order: the one place to add a page. `key` names its label in
 * content/locales/<lng>/docs.json (`nav.<key>`); `link` is its English path (Starlight adds the
 * locale prefix).
 */
export const PAGES = [
  { key: 'overview', link: '/overview/' },
  { key: 'events', link: '/events/' },
  { key: 'eventFields', link: '/event-fields/' },
  { key: 'regions', link: '/regions/' },
  { key: 'apiCalls', link: '/api-calls/' },
  { key: 'history', link: '/history/' },
  { key: 'emitter', link: '/emitter/' },
  { key: 'cli', link: '/cli/' },
  { key: 'nats', link: '/nats/' },
  { key: 'changelog', link: '/changelog/' },
] as const;

/** PAGES as Starlight sidebar items, labelled in every language. */
export function sidebar() {
  const t = tFor('en');
  return PAGES.map((p) => ({
    label: t(`docs:nav.${p.key}`),
    translations: allTranslations(`docs:nav.${p.key}`),
    link: p.link,
  }));
}
