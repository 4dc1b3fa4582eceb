// /catalog.json, /regions.json and /schema.json (lib/downloads.ts), written at build time.
import type { APIRoute } from 'astro';
import { DOWNLOADS, downloadText, type DownloadName } from '../lib/downloads';

export function getStaticPaths() {
  return Object.keys(DOWNLOADS).map((download) => ({ params: { download } }));
}

export const GET: APIRoute = ({ params }) =>
  new Response(downloadText(params.download as DownloadName), { headers: { 'content-type': 'application/json' } });
