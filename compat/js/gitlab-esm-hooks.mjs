// Module hooks that let node load @gitlab/cluster-client as GitLab's webpack build does. The
// package ships ES modules (`export …`) without `"type": "module"` and imports files without
// their `.js` extension; node's own loader refuses both, a bundler accepts both.
const PACKAGE = '/node_modules/@gitlab/cluster-client/';

export async function resolve(specifier, context, nextResolve) {
  if (context.parentURL?.includes(PACKAGE) && specifier.startsWith('.') && !specifier.endsWith('.js')) {
    try {
      return await nextResolve(`${specifier}.js`, context);
    } catch {
      return nextResolve(`${specifier}/index.js`, context);
    }
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (url.includes(PACKAGE) && url.endsWith('.js')) {
    return nextLoad(url, { ...context, format: 'module' });
  }
  return nextLoad(url, context);
}
