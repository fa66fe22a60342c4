/** @type {import('next').NextConfig} */
export default {
  // The mock server and PGlite-free memory stores run in Node; keep @byok/testing out of the bundle.
  serverExternalPackages: ['@byok/testing', 'msw'],
};
