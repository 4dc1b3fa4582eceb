// For plain `tsc`: a component imported by a test (Astro's container renders it) is an Astro
// component factory. `astro check` reads the component itself.
declare module '*.astro' {
  const component: import('astro/runtime/server/index.js').AstroComponentFactory;
  export default component;
}
